package io.pnpoperator.operator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * How the operator runs. From the environment: PNP_NAMESPACE (default: the pod's, or kubeconfig's),
 * PNP_ARTIFACTS_DIR (default /var/lib/pnp/artifacts), PNP_ARTIFACTS_VOLUME (the volume's name in messages,
 * default pnp-artifacts), PNP_STALLED_AFTER (ISO-8601, default PT15M), HOSTNAME (the replica's identity
 * in the leader election lease), PNP_HTTP_PORT (health and metrics, default 8080).
 *
 * @param recheck         how soon a profile that is not ready is checked again
 * @param stalledAfter    silence after which a provisioning device is Stalled (image steps get 30 min more)
 * @param exitOnLostLease stop the process when another replica takes the lease, so Kubernetes restarts it
 * @param httpPort        port of /healthz, /readyz and /metrics (0: any free port)
 */
public record OperatorSettings(String namespace, Path artifacts, String volumeName, Duration recheck,
                               Duration stalledAfter, String identity, boolean exitOnLostLease, int httpPort) {

    static final String LEASE = "pnp-operator";

    static OperatorSettings fromEnvironment(Map<String, String> env, String defaultNamespace) {
        return new OperatorSettings(env.getOrDefault("PNP_NAMESPACE", defaultNamespace),
                Path.of(env.getOrDefault("PNP_ARTIFACTS_DIR", "/var/lib/pnp/artifacts")),
                env.getOrDefault("PNP_ARTIFACTS_VOLUME", "pnp-artifacts"), Duration.ofMinutes(1),
                Duration.parse(env.getOrDefault("PNP_STALLED_AFTER", "PT15M")),
                env.getOrDefault("HOSTNAME", "pnp-operator-" + UUID.randomUUID()), true,
                Integer.parseInt(env.getOrDefault("PNP_HTTP_PORT", "8080")));
    }
}
