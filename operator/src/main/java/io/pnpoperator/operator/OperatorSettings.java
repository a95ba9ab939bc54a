package io.pnpoperator.operator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * How the operator runs. From the environment: PNP_NAMESPACE (default: the pod's, or kubeconfig's),
 * PNP_WATCH_ALL_NAMESPACES (true: profiles and devices of every namespace; default false),
 * PNP_ARTIFACTS_DIR (default /var/lib/pnp/artifacts), PNP_ARTIFACTS_VOLUME (the artifacts
 * PersistentVolumeClaim, default pnp-artifacts), PNP_FETCH_IMAGE (the download Jobs' image),
 * PNP_STALLED_AFTER (ISO-8601, default PT15M), HOSTNAME (the replica's identity in the leader election
 * lease), PNP_HTTP_PORT (health and metrics, default 8080).
 *
 * @param namespace       the namespace watched, and where the lease is kept
 * @param allNamespaces   watch every namespace (the lease stays in {@code namespace})
 * @param volumeName      the artifacts PersistentVolumeClaim: mounted by download Jobs, named in messages
 * @param fetchImage      image of the download Jobs: sh, curl and md5sum
 * @param recheck         how soon a profile that is not ready is checked again
 * @param stalledAfter    silence after which a provisioning device is Stalled (image steps get 30 min more)
 * @param exitOnLostLease stop the process when another replica takes the lease, so Kubernetes restarts it
 * @param httpPort        port of /healthz, /readyz and /metrics (0: any free port)
 */
public record OperatorSettings(String namespace, boolean allNamespaces, Path artifacts, String volumeName,
                               String fetchImage, Duration recheck, Duration stalledAfter, String identity,
                               boolean exitOnLostLease, int httpPort) {

    static final String LEASE = "pnp-operator";
    static final String FETCH_IMAGE = "docker.io/curlimages/curl:8.11.1";

    static OperatorSettings fromEnvironment(Map<String, String> env, String defaultNamespace) {
        return new OperatorSettings(env.getOrDefault("PNP_NAMESPACE", defaultNamespace),
                Boolean.parseBoolean(env.getOrDefault("PNP_WATCH_ALL_NAMESPACES", "false")),
                Path.of(env.getOrDefault("PNP_ARTIFACTS_DIR", "/var/lib/pnp/artifacts")),
                env.getOrDefault("PNP_ARTIFACTS_VOLUME", "pnp-artifacts"),
                env.getOrDefault("PNP_FETCH_IMAGE", FETCH_IMAGE), Duration.ofMinutes(1),
                Duration.parse(env.getOrDefault("PNP_STALLED_AFTER", "PT15M")),
                env.getOrDefault("HOSTNAME", "pnp-operator-" + UUID.randomUUID()), true,
                Integer.parseInt(env.getOrDefault("PNP_HTTP_PORT", "8080")));
    }

    /** Settings for one namespace with the defaults; tests and the benchmark change what they need. */
    static OperatorSettings forNamespace(String namespace, Path artifacts, String identity) {
        return new OperatorSettings(namespace, false, artifacts, "pnp-artifacts", FETCH_IMAGE, Duration.ofMinutes(1),
                Duration.ofMinutes(15), identity, false, 0);
    }

    OperatorSettings withRecheck(Duration every) {
        return new OperatorSettings(namespace, allNamespaces, artifacts, volumeName, fetchImage, every, stalledAfter,
                identity, exitOnLostLease, httpPort);
    }

    OperatorSettings watchingAllNamespaces() {
        return new OperatorSettings(namespace, true, artifacts, volumeName, fetchImage, recheck, stalledAfter,
                identity, exitOnLostLease, httpPort);
    }
}
