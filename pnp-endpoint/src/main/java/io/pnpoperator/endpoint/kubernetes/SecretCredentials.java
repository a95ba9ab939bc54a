package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pnpoperator.endpoint.profile.DeviceCredentials;
import io.pnpoperator.endpoint.profile.ProfileException;
import io.pnpoperator.endpoint.protocol.Credentials;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Device logins from the Secrets profiles name ({@code spec.credentialsSecret}). Each Secret is read with one
 * GET at most once a minute (no watch: the endpoint may get, not list, Secrets, and only those the chart names),
 * so a changed password reaches devices within a minute; a Secret that was missing or unreadable is looked for
 * again after a few seconds. The values stay in memory only.
 */
public final class SecretCredentials {

    static final Duration REFRESH = Duration.ofMinutes(1);
    static final Duration RETRY = Duration.ofSeconds(5);

    private final KubernetesClient client;
    private final String namespace;
    private final Clock clock;
    private final Map<String, Read> reads = new ConcurrentHashMap<>();

    /** A Secret as last read: the login, or why there is none. */
    private record Read(Optional<Credentials> credentials, String problem, Instant at) {
    }

    public SecretCredentials(KubernetesClient client, String namespace, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.clock = clock;
    }

    /** The login in the named Secret; a {@link ProfileException} says why there is none. */
    public Credentials of(String secretName) {
        Instant now = clock.instant();
        Read read = reads.compute(secretName, (name, last) ->
                last != null && last.at().plus(last.credentials().isPresent() ? REFRESH : RETRY).isAfter(now) ? last
                        : read(name, now));
        return read.credentials().orElseThrow(() -> new ProfileException(read.problem()));
    }

    private Read read(String name, Instant now) {
        try {
            Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
            if (secret == null) {
                return new Read(Optional.empty(), "Secret " + name + " (spec.credentialsSecret) not found in namespace "
                        + namespace, now);
            }
            return new Read(Optional.of(DeviceCredentials.of(secret)), "", now);
        } catch (ProfileException e) {
            return new Read(Optional.empty(), e.getMessage(), now);
        } catch (KubernetesClientException e) {
            return new Read(Optional.empty(), "Secret " + name + " cannot be read: " + e.getStatus().getMessage(), now);
        }
    }
}
