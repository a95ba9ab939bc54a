package io.pnpoperator.chart;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.apiserver.StrictApiServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A cluster as the chart installs into it, without a cluster: the strict test API server, and the packaged
 * operator and endpoint started as programs with the environment the chart's Deployments give them (only ports,
 * paths and the API server's address differ).
 */
final class SimulatedCluster implements AutoCloseable {

    static final String NS = "pnp";

    final StrictApiServer api;
    final KubernetesClient client;
    private final Path work;
    private final List<Process> programs = new ArrayList<>();

    /** @param work a folder of the test's: program logs and homes */
    SimulatedCluster(Path work) {
        this.work = work;
        this.api = StrictApiServer.running();
        this.client = api.createClient();
    }

    /**
     * The artifacts volume of the profiles the tests declare: the image in images/, and in files/ the script and
     * any {@code otherFiles} (a guestshell package, say).
     */
    Path artifacts(String image, String... otherFiles) throws IOException {
        Path volume = Files.createDirectories(work.resolve("artifacts"));
        Files.createDirectories(volume.resolve("images"));
        Files.createDirectories(volume.resolve("files"));
        byte[] content = new byte[128 * 1024];
        new Random(7).nextBytes(content);
        Files.write(volume.resolve("images").resolve(image), content);
        Files.writeString(volume.resolve("files/pxs.py"), "print('hello from the guestshell')\n");
        for (String file : otherFiles) {
            Files.write(volume.resolve("files").resolve(file), new byte[4096]);
        }
        return volume;
    }

    /** Starts the packaged operator with what the chart gives its Deployment, and {@code here}. */
    void startOperator(List<HasMetadata> chart, Map<String, String> here) throws IOException {
        start("operator", "../operator/target/pnp-operator.jar", environment(chart, "pnp-pnp-operator", here));
    }

    /** Starts the packaged endpoint with what the chart gives its Deployment, and {@code here}. */
    void startEndpoint(List<HasMetadata> chart, Map<String, String> here) throws IOException {
        start("endpoint", "../pnp-endpoint/target/pnp-endpoint.jar", environment(chart, "pnp-pnp-endpoint", here));
    }

    /** As the chart's readiness probe: until {@code readiness} answers 200. */
    void awaitReady(URI readiness) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant until = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(until)) {
            try {
                if (http.send(HttpRequest.newBuilder(readiness).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the endpoint never became ready" + logs());
    }

    /** The last lines each program wrote, for a failure message. */
    String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("operator", "endpoint")) {
            Path log = work.resolve(name + ".log");
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log);
                all.append("\n--- ").append(name).append(" (last 30 lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        }
        return all.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        programs.forEach(Process::destroyForcibly);
        client.close();
        api.destroy();
    }

    /** The environment the chart gives a Deployment's container, with what differs on this machine. */
    private Map<String, String> environment(List<HasMetadata> chart, String deployment, Map<String, String> here)
            throws IOException {
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : Chart.named(chart, Deployment.class, deployment).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv()) {
            if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
                env.put(var.getName(), NS); // metadata.namespace
            } else if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            }
        }
        env.putAll(here);
        // Where the "cluster" is: the test API server, no kubeconfig, no service account.
        env.put("KUBERNETES_MASTER", api.url("/"));
        env.put("KUBERNETES_NAMESPACE", NS);
        env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        env.put("HOME", Files.createDirectories(work.resolve("home-" + deployment)).toString());
        return env;
    }

    private void start(String name, String jar, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of("java", "-Xmx384m", "-jar", jar)).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES") || k.startsWith("PNP_"));
        builder.environment().putAll(env);
        programs.add(builder.start());
    }
}
