package io.pnpoperator.testcluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An etcd of its own and two kube-apiservers on it, as a highly available control plane has them, for tests that
 * stop one API server and start it again while the other keeps serving: what a rolling restart of the control plane
 * does to clients. A restarted API server starts its watch caches anew, so a client resuming a watch from before
 * the restart, when the objects changed meanwhile, is answered 410 Gone and must list again. Each API server has an
 * audit log ({@link #auditLog(int)}). The binaries, certificates and administrator's credentials are those of
 * {@link ControlPlane#shared()}; no controller manager runs here.
 */
public final class TwoApiServers implements AutoCloseable {

    private final ControlPlane plane;
    private final Path work;
    private final Process etcd;
    private final int etcdPort;
    private final int[] ports = new int[2];
    private final Process[] apiServers = new Process[2];
    private final AuditLog[] auditLogs = new AuditLog[2];
    private final List<KubernetesClient> clients = new ArrayList<>();

    public TwoApiServers(ControlPlane plane) {
        this.plane = plane;
        try {
            work = Files.createTempDirectory("two-api-servers");
            etcdPort = freePort();
            int peerPort = freePort();
            etcd = new ProcessBuilder(plane.binaries().resolve("etcd").toString(),
                    "--data-dir", work.resolve("etcd").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + etcdPort,
                    "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                    "--initial-cluster", "default=http://127.0.0.1:" + peerPort,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                    "--listen-peer-urls", "http://127.0.0.1:" + peerPort)
                    .redirectErrorStream(true).redirectOutput(work.resolve("etcd.log").toFile()).start();
            Files.writeString(work.resolve("audit-policy.yaml"), AuditLog.POLICY);
            for (int server = 0; server < 2; server++) {
                ports[server] = freePort();
                auditLogs[server] = new AuditLog(work.resolve("audit-" + server + ".log"));
                start(server);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts API server {@code server} (0 or 1) on its address, and waits until it is ready. */
    public void start(int server) {
        Path certificates = plane.certificates();
        List<String> command = List.of(plane.binaries().resolve("kube-apiserver").toString(),
                "--bind-address", "127.0.0.1", "--secure-port", Integer.toString(ports[server]),
                "--cert-dir", certificates.toString(),
                "--etcd-servers", "http://127.0.0.1:" + etcdPort,
                "--authorization-mode", "RBAC",
                "--client-ca-file", certificates.resolve("client.crt").toString(),
                "--service-account-issuer", "https://localhost",
                "--service-account-key-file", certificates.resolve("apiserver.key").toString(),
                "--service-account-signing-key-file", certificates.resolve("apiserver.key").toString(),
                "--disable-admission-plugins", "ServiceAccount",
                "--service-cluster-ip-range", "10.0.0.0/24",
                "--audit-policy-file", work.resolve("audit-policy.yaml").toString(),
                "--audit-log-path", auditLogs[server].file().toString(), "--audit-log-mode", "blocking");
        try {
            apiServers[server] = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("apiserver-" + server + ".log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KubernetesClient probe = client(server, "default");
        Instant until = Instant.now().plus(Duration.ofSeconds(120));
        while (true) {
            try {
                if ("ok".equals(probe.raw("/readyz")) && probe.namespaces().withName("default").get() != null) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening, or not ready
            }
            if (!apiServers[server].isAlive() || Instant.now().isAfter(until)) {
                throw new IllegalStateException("kube-apiserver " + server + " did not start: " + work);
            }
            ControlPlane.sleep(200);
        }
    }

    /** Stops API server {@code server} as a node being drained would: SIGTERM, then it is gone. */
    public void stop(int server) {
        apiServers[server].destroy();
        try {
            if (!apiServers[server].waitFor(60, TimeUnit.SECONDS)) {
                apiServers[server].destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The address of API server {@code server}. */
    public String url(int server) {
        return "https://127.0.0.1:" + ports[server] + "/";
    }

    /** The administrator's client of API server {@code server}, its default namespace {@code namespace}. */
    public KubernetesClient client(int server, String namespace) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.autoConfigure(null))
                .withMasterUrl(url(server)).withNamespace(namespace).build()).build();
        clients.add(client);
        return client;
    }

    /**
     * A namespace, and the CRDs committed in {@code crds}, made through API server {@code server}; returns once both
     * API servers serve the CRDs (each fills a cache of its own, and answers 429 until then).
     */
    public KubernetesClient prepare(int server, String namespace, Path crds) {
        KubernetesClient client = client(server, namespace);
        KubernetesClient other = client(1 - server, namespace);
        plane.crds(crds).forEach(crd -> ControlPlane.awaitServed(other, ControlPlane.apply(client, crd)));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .create();
        return client;
    }

    /** The audit log of API server {@code server}; {@code since} needs a client of that server to probe it. */
    public AuditLog auditLog(int server) {
        return auditLogs[server];
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        for (Process server : apiServers) {
            if (server != null) {
                server.destroyForcibly();
            }
        }
        etcd.destroyForcibly();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
