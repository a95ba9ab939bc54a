package io.pnpoperator.endpoint;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import io.pnpoperator.endpoint.workflow.Security;
import io.pnpoperator.endpoint.workflow.Timings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The endpoint's settings ({@code pnp.*}); each can also be given as an environment variable, e.g.
 * {@code PNP_DEVICE_PORT}. docs/configuration.md lists them.
 *
 * @param mode         {@code standalone} (profile file, embedded database) or {@code kubernetes} (resources)
 * @param devicePort   port devices talk PnP to and download artifacts from
 * @param adminPort    port of the admin API, the dashboard page, health and metrics
 * @param adminAddress address the admin port binds to; loopback unless you put it behind something
 * @param admin        who may use the admin API
 * @param dataDir      folder of the embedded database (default ./data, in application-standalone.yaml)
 * @param profile      the standalone profile file (a PnpProfile manifest)
 * @param publicUrl    base URL devices download from; when unset, taken from each request's Host
 * @param configsDir   day-0 configurations: {@code <SERIAL>.cfg}, else the profile's template
 * @param imagesDir    IOS-XE images
 * @param filesDir     other files copied to devices (guestshell tarball, scripts)
 * @param maxBodySize  largest device message accepted
 * @param workflow     backoffs and retry bounds ({@code pnp.workflow.*}; defaults in application.yaml)
 * @param security     how far device messages are trusted ({@code pnp.security.*}; defaults in application.yaml)
 * @param unknownDevices a serial nobody registered is provisioned ({@code register}) or recorded as Unclaimed
 *                     ({@code reject}): in a cluster until a person sets its PnpDevice's profile, standalone until
 *                     it is listed in {@code claimedSerials}
 * @param claimedSerials standalone with {@code unknown-devices=reject}: the serials provisioned, one a line
 * @param defaultProfile kubernetes mode: the PnpProfile of registered devices
 * @param artifactsDir kubernetes mode: the artifacts volume, with images/ and files/
 * @param artifactsSource kubernetes mode: where the operator serves the artifacts volume
 *                     ({@code http://<operator>:8080/artifacts/}); when set, {@code artifactsDir} is this endpoint's
 *                     own folder, filled from it and checked against the profiles' MD5s
 * @param kubernetes   kubernetes mode: where the API server and the resources are
 * @param history      kubernetes mode with {@code spring.datasource.url}: the history mirror
 * @param limits       what one client, and all unknown devices together, may take of the server
 */
@ConfigurationProperties("pnp")
public record PnpProperties(
        @DefaultValue("standalone") Mode mode,
        @DefaultValue("8080") int devicePort,
        @DefaultValue("8081") int adminPort,
        @DefaultValue("127.0.0.1") String adminAddress,
        @DefaultValue Admin admin,
        Path dataDir,
        @DefaultValue("./pnp-profile.yaml") Path profile,
        URI publicUrl,
        @DefaultValue("./configs") Path configsDir,
        @DefaultValue("./images") Path imagesDir,
        @DefaultValue("./files") Path filesDir,
        @DefaultValue("1MB") DataSize maxBodySize,
        Timings workflow,
        Security security,
        @DefaultValue("register") UnknownDevices unknownDevices,
        @DefaultValue("./claimed-serials.txt") Path claimedSerials,
        @DefaultValue("default") String defaultProfile,
        @DefaultValue("/var/lib/pnp/artifacts") Path artifactsDir,
        URI artifactsSource,
        @DefaultValue Kubernetes kubernetes,
        @DefaultValue History history,
        @DefaultValue Limits limits) {

    /**
     * Kubernetes mode with a datasource: the copy of every transition into the database.
     *
     * @param queue      changes held while the database is slow or down; beyond, a re-sync follows
     * @param maxBackoff longest wait between two tries of a write
     */
    public record History(@DefaultValue("10000") int queue, @DefaultValue("30s") Duration maxBackoff) {
    }

    /**
     * What keeps one client, or a flood of made-up serials, from taking the server from everyone else.
     *
     * @param requestsPerAddress     requests of one source address handled at once on the device port; more are
     *                               answered 503 with Retry-After (raise it where many routers share an address)
     * @param bodyTimeout            longest a device may take to send a message's body; slower is answered 408
     * @param downloadThreads        threads copying images and files where the kernel cannot (HTTPS): downloads
     *                               never take the threads the PnP dialog runs on
     * @param registrationsPerMinute new serials one source address may register a minute; more wait (backoff)
     * @param maxUnclaimed           unknown devices kept as Unclaimed at most; beyond, new ones are not recorded
     */
    public record Limits(@DefaultValue("32") int requestsPerAddress, @DefaultValue("10s") Duration bodyTimeout,
                         @DefaultValue("64") int downloadThreads, @DefaultValue("30") int registrationsPerMinute,
                         @DefaultValue("1000") int maxUnclaimed) {
    }

    /**
     * @param token standalone: the admin API's token (Bearer, or the password of Basic); required when
     *              {@code pnp.admin-address} is not loopback. In a cluster, callers bring Kubernetes tokens instead.
     */
    public record Admin(String token) {
    }

    public enum Mode {
        STANDALONE,
        KUBERNETES
    }

    public enum UnknownDevices {
        REGISTER,
        REJECT
    }

    /**
     * @param namespace      namespace of the PnpDevice and PnpProfile resources; default: the pod's own
     * @param apiUrl         API server URL; default: in-cluster configuration or kubeconfig
     * @param requestTimeout how long one API call may take before it counts as failed
     * @param retries        how many times a call refused for a passing reason (429, 5xx, connection refused or
     *                       timed out) is tried again before the router is told to come back later
     * @param retryBackoff   the wait before the first retry, doubled before each next one (the API server's
     *                       Retry-After when longer)
     * @param installSlotsLease the Lease holding the profiles' image install slots (the chart makes it and names it
     *                       to the release; made here when missing and allowed)
     */
    public record Kubernetes(String namespace, URI apiUrl, @DefaultValue("10s") Duration requestTimeout,
                             @DefaultValue("5") int retries, @DefaultValue("250ms") Duration retryBackoff,
                             @DefaultValue("pnp-install-slots") String installSlotsLease) {
    }
}
