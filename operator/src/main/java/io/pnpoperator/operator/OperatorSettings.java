package io.pnpoperator.operator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * How the operator runs: {@code pnp.*} settings, bound as the endpoint binds its own (Spring Boot's typed
 * binding: defaults here, each one also an environment variable, {@code pnp.http-port} as
 * {@code PNP_HTTP_PORT}, durations as {@code 15m} or {@code PT15M}). docs/configuration.md lists them.
 *
 * @param namespace          the namespace watched, and where the lease is kept; default: the pod's, or kubeconfig's
 * @param artifactsDir       where the artifacts volume is mounted (read-only)
 * @param artifactsVolume    the artifacts PersistentVolumeClaim: mounted by download Jobs, named in messages
 * @param fetchImage         image of the download Jobs: sh, curl and md5sum (pinned by digest)
 * @param fetchPullSecrets   the Secrets the download Jobs pull their image with (the chart's images.pullSecrets)
 * @param nodeName           the node download Jobs run on: this pod's, when the volume mounts on one node at a time
 * @param recheck            how soon every profile is checked again (files change on the volume without events)
 * @param stalledAfter       silence after which a provisioning device is Stalled (image steps get 30 min more)
 * @param exitOnLostLease    stop the process when another replica takes the lease, so Kubernetes restarts it
 * @param upgradeCrds        bring the cluster's CRDs to this operator's at start ({@link CrdUpgrade})
 * @param httpPort           port of /healthz, /readyz and /metrics (0: any free port)
 * @param identity           this replica in the leader election lease (Kubernetes sets {@code HOSTNAME})
 * @param podSecurity        the user, group and volume group of the download Jobs' pods; unset: the platform's
 */
public record OperatorSettings(String namespace,
                               @DefaultValue("/var/lib/pnp/artifacts") Path artifactsDir,
                               @DefaultValue("pnp-artifacts") String artifactsVolume,
                               @DefaultValue(FETCH_IMAGE) String fetchImage, @DefaultValue List<String> fetchPullSecrets,
                               String nodeName,
                               @DefaultValue("1m") Duration recheck,
                               @DefaultValue("15m") Duration stalledAfter,
                               @DefaultValue("true") boolean exitOnLostLease,
                               @DefaultValue("true") boolean upgradeCrds, @DefaultValue("8080") int httpPort,
                               String identity, @DefaultValue PodSecurity podSecurity) {

    /** Ids a pod runs with; each null where the platform assigns it (OpenShift's restricted SCC). */
    public record PodSecurity(Long runAsUser, Long runAsGroup, Long fsGroup) {
    }

    static final String LEASE = "pnp-operator";
    static final String FETCH_IMAGE = "docker.io/curlimages/curl:8.11.1@sha256:"
            + "c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69";

    /** A setting the operator cannot start with; the message names the variable, its value and the problem. */
    static final class InvalidSetting extends RuntimeException {
        InvalidSetting(String message) {
            super(message);
        }
    }

    /** The settings in {@code env}; namespace and identity from Kubernetes' defaults when not given. */
    static OperatorSettings fromEnvironment(Map<String, String> env, String defaultNamespace) {
        Binder binder = new Binder(ConfigurationPropertySources.from(
                // Named as Spring Boot names the process environment, so it maps variables to nested settings
                // (PNP_PODSECURITY_RUNASUSER to pnp.pod-security.run-as-user) as it does for the endpoint.
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.copyOf(env))));
        OperatorSettings bound;
        try {
            bound = binder.bindOrCreate("pnp", OperatorSettings.class);
        } catch (BindException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            String variable = e.getName().toString().toUpperCase().replace('.', '_').replace('-', '_');
            String value = e.getProperty() == null ? "" : String.valueOf(e.getProperty().getValue());
            throw new InvalidSetting(variable + "='" + value + "' is not valid: " + cause.getMessage());
        }
        return new OperatorSettings(bound.namespace() == null ? defaultNamespace : bound.namespace(),
                bound.artifactsDir(), bound.artifactsVolume(), bound.fetchImage(),
                bound.fetchPullSecrets(), bound.nodeName(), bound.recheck(), bound.stalledAfter(), bound.exitOnLostLease(),
                bound.upgradeCrds(), bound.httpPort(),
                env.getOrDefault("HOSTNAME", "pnp-operator-" + UUID.randomUUID()), bound.podSecurity());
    }

    /** Settings for one namespace with the defaults; tests and the benchmark change what they need. */
    static OperatorSettings forNamespace(String namespace, Path artifacts, String identity) {
        OperatorSettings defaults = fromEnvironment(Map.of("PNP_NAMESPACE", namespace, "HOSTNAME", identity), namespace);
        return new OperatorSettings(namespace, artifacts, defaults.artifactsVolume(), defaults.fetchImage(),
                defaults.fetchPullSecrets(), null, defaults.recheck(), defaults.stalledAfter(), false, defaults.upgradeCrds(), 0,
                identity, defaults.podSecurity());
    }

    OperatorSettings withRecheck(Duration every) {
        return new OperatorSettings(namespace, artifactsDir, artifactsVolume, fetchImage,
                fetchPullSecrets, nodeName, every, stalledAfter, exitOnLostLease, upgradeCrds, httpPort, identity,
                podSecurity);
    }
}
