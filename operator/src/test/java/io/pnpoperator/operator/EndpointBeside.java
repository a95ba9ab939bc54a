package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.pnpoperator.testcluster.ControlPlane;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For the benchmark: the packaged endpoint started beside the benchmark's devices (kubernetes mode, the same
 * namespace), and its memory once its informers hold them all — its resident set and its heap after a GC.
 */
final class EndpointBeside {

    private EndpointBeside() {
    }

    static void measure(ControlPlane cluster, String namespace, Path artifacts, int devices) throws Exception {
        int adminPort = freePort();
        Path log = Files.createTempFile("endpoint", ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of("java", "-Xmx512m", "-XX:+UseSerialGC", "-jar",
                "../pnp-endpoint/target/pnp-endpoint.jar", "--pnp.mode=kubernetes",
                "--pnp.kubernetes.namespace=" + namespace, "--pnp.unknown-devices=reject",
                "--pnp.artifacts-dir=" + artifacts, "--pnp.data-dir=" + Files.createTempDirectory("endpoint-data"),
                "--pnp.device-port=" + freePort(), "--pnp.admin-port=" + adminPort, "--logging.level.root=WARN"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KUBECONFIG", cluster.adminKubeconfig().toString());
        Process endpoint = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            URI admin = URI.create("http://127.0.0.1:" + adminPort);
            Instant until = Instant.now().plusSeconds(300);
            long started = System.nanoTime();
            String token = cluster.serviceAccountWithRole(namespace, "bench-viewer", new PolicyRuleBuilder()
                    .withApiGroups("pnp.pnpoperator.io").withResources("pnpdevices").withVerbs("get", "list").build());
            while (known(http, admin, token) < devices) {
                if (!endpoint.isAlive() || Instant.now().isAfter(until)) {
                    throw new IllegalStateException("the endpoint never knew every device; its log: " + log);
                }
                Thread.sleep(200);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            new ProcessBuilder("jcmd", Long.toString(endpoint.pid()), "GC.run").start().waitFor();
            String metrics = get(http, admin.resolve("/actuator/prometheus"));
            long heap = 0;
            Matcher m = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)").matcher(metrics);
            while (m.find()) {
                heap += (long) Double.parseDouble(m.group(1));
            }
            String rss = Files.readAllLines(Path.of("/proc/" + endpoint.pid() + "/status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).findFirst().orElse("VmRSS: ?").replaceAll("\\s+", " ");
            System.out.printf("endpoint beside them:  every device known %.1f s after its start; heap after a GC "
                    + "%d MiB, %s (-Xmx512m, SerialGC)%n", seconds, heap >> 20, rss);
        } finally {
            endpoint.destroy();
            endpoint.waitFor();
        }
    }

    /** How many devices the admin API lists; 0 until it answers. */
    private static int known(HttpClient http, URI admin, String token) {
        try {
            String body = http.send(HttpRequest.newBuilder(admin.resolve("/api/devices"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.startsWith("[") ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).size() : 0;
        } catch (IOException | InterruptedException notYet) {
            return 0;
        }
    }

    private static String get(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
