package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pnpoperator.crds.PnpApi;
import io.pnpoperator.toolkit.text.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the cluster's PnpDevice and PnpProfile CRDs forward to this operator's when it starts. Helm installs a
 * chart's CRDs once and never upgrades them, so without this a {@code helm upgrade} would run new programs against
 * old schemas (fields pruned, rules missing). Only forward: each CRD carries its schema revision
 * ({@link PnpApi#SCHEMA_REVISION}); one of an earlier revision (or none) is replaced, one of a later revision —
 * a newer release in another namespace, or the new pods of a rollout — is left alone and the log says so, and one
 * of the same revision is replaced only if its definition differs (the SHA-256 it carries). A write that meets
 * another writer (409) is decided again from a fresh read. One that is missing is left to Helm (which installs
 * them first); a cluster that does not grant the operator this is told so in the log, and nothing else changes.
 */
final class CrdUpgrade {

    private static final Logger log = LoggerFactory.getLogger(CrdUpgrade.class);
    static final String DEFINITION_SHA256 = "pnp.pnpoperator.io/definition-sha256";
    static final List<String> NAMES = List.of("pnpdevices.pnp.pnpoperator.io", "pnpprofiles.pnp.pnpoperator.io");
    private static final int TRIES = 3;

    /** What became of one CRD, and why: the log line says the same. */
    record Outcome(String crd, Action action, String why) {
    }

    enum Action { REPLACED, CURRENT, LEFT_NEWER, MISSING, NOT_WRITTEN }

    private CrdUpgrade() {
    }

    static List<Outcome> run(KubernetesClient client) {
        return NAMES.stream().map(name -> upgrade(client, name)).toList();
    }

    private static Outcome upgrade(KubernetesClient client, String name) {
        String definition = bundled(name);
        String sha256 = Sha256.hex(definition);
        CustomResourceDefinition wanted = client.getKubernetesSerialization().unmarshal(definition,
                CustomResourceDefinition.class);
        int mine = revision(wanted);
        try {
            for (int attempt = 1; ; attempt++) {
                CustomResourceDefinition current = client.apiextensions().v1().customResourceDefinitions()
                        .withName(name).get();
                if (current == null) {
                    return said(new Outcome(name, Action.MISSING, "not installed: install the chart's CRDs (helm "
                            + "does on install)"));
                }
                int theirs = revision(current);
                if (theirs > mine) {
                    return said(new Outcome(name, Action.LEFT_NEWER, "left as it is: its schema revision " + theirs
                            + " is later than this operator's " + mine + " (a newer release runs in this cluster)"));
                }
                Map<String, String> annotations = current.getMetadata().getAnnotations();
                if (theirs == mine && annotations != null && sha256.equals(annotations.get(DEFINITION_SHA256))) {
                    return new Outcome(name, Action.CURRENT, "current");
                }
                current.setSpec(wanted.getSpec());
                Map<String, String> marked = new HashMap<>(annotations == null ? Map.of() : annotations);
                marked.putAll(wanted.getMetadata().getAnnotations());
                marked.put(DEFINITION_SHA256, sha256);
                current.getMetadata().setAnnotations(marked);
                try {
                    client.resource(current).update();
                    return said(new Outcome(name, Action.REPLACED, (theirs == mine ? "brought to this operator's "
                            + "definition of schema revision " + mine : "brought from schema revision " + theirs + " to "
                            + mine) + " (sha256 " + sha256.substring(0, 12) + ")"));
                } catch (KubernetesClientException e) {
                    if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == TRIES) {
                        throw e;
                    }
                    // Another operator wrote it meanwhile (a replica, another release): read it again and decide.
                }
            }
        } catch (KubernetesClientException e) {
            return said(new Outcome(name, Action.NOT_WRITTEN, "could not be brought to this operator's definition "
                    + "(HTTP " + e.getCode() + (e.getCode() == HttpURLConnection.HTTP_FORBIDDEN ? "): grant the operator "
                    + "get and update on it (the chart's crds.upgrade), or apply the chart's crds/ yourself" : "): "
                    + e.getMessage())));
        }
    }

    private static Outcome said(Outcome outcome) {
        String line = "CRD {} {}";
        if (outcome.action() == Action.REPLACED) {
            log.info(line, outcome.crd(), outcome.why());
        } else {
            log.warn(line, outcome.crd(), outcome.why());
        }
        return outcome;
    }

    /** The schema revision a CRD carries; 0 for one written before revisions were. */
    private static int revision(CustomResourceDefinition crd) {
        Map<String, String> annotations = crd.getMetadata().getAnnotations();
        String revision = annotations == null ? null : annotations.get(PnpApi.SCHEMA_REVISION_ANNOTATION);
        try {
            return revision == null ? 0 : Integer.parseInt(revision);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String bundled(String name) {
        try (InputStream in = CrdUpgrade.class.getResourceAsStream("/META-INF/pnp-crds/" + name + "-v1.yml")) {
            if (in == null) {
                throw new IllegalStateException("the operator's jar lacks its CRD " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
