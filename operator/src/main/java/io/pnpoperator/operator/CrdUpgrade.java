package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
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
 * Brings the cluster's PnpDevice and PnpProfile CRDs to this operator's when it starts. Helm installs a chart's
 * CRDs once and never upgrades them, so without this a {@code helm upgrade} would run new programs against old
 * schemas (fields pruned, rules missing). Each CRD carries the SHA-256 of the definition it was given; one that
 * differs is replaced, one that is the same is left alone, one that is missing is left to Helm (which installs
 * them first). A cluster that does not grant the operator this is told so in the log, and nothing else changes.
 */
final class CrdUpgrade {

    private static final Logger log = LoggerFactory.getLogger(CrdUpgrade.class);
    static final String DEFINITION_SHA256 = "pnp.pnpoperator.io/definition-sha256";
    static final List<String> NAMES = List.of("pnpdevices.pnp.pnpoperator.io", "pnpprofiles.pnp.pnpoperator.io");

    private CrdUpgrade() {
    }

    /** The CRDs replaced (their names); none when all were current, missing or not ours to change. */
    static List<String> run(KubernetesClient client) {
        return NAMES.stream().filter(name -> upgrade(client, name)).toList();
    }

    private static boolean upgrade(KubernetesClient client, String name) {
        String definition = bundled(name);
        String sha256 = Sha256.hex(definition);
        try {
            CustomResourceDefinition current = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
            if (current == null) {
                log.warn("CRD {} is not installed: install the chart's CRDs (helm does on install)", name);
                return false;
            }
            Map<String, String> annotations = current.getMetadata().getAnnotations();
            if (annotations != null && sha256.equals(annotations.get(DEFINITION_SHA256))) {
                return false;
            }
            CustomResourceDefinition wanted = client.getKubernetesSerialization().unmarshal(definition,
                    CustomResourceDefinition.class);
            current.setSpec(wanted.getSpec());
            Map<String, String> marked = new HashMap<>(annotations == null ? Map.of() : annotations);
            marked.put(DEFINITION_SHA256, sha256);
            current.getMetadata().setAnnotations(marked);
            client.resource(current).update();
            log.info("CRD {} brought to this operator's definition (sha256 {})", name, sha256.substring(0, 12));
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                log.info("CRD {} was changed meanwhile (another replica starting): left to it", name);
                return false;
            }
            log.warn("could not bring CRD {} to this operator's definition (HTTP {}): grant the operator get and "
                    + "update on it (the chart's crds.upgrade), or apply the chart's crds/ yourself", name, e.getCode());
            return false;
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
