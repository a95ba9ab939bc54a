package io.pnpoperator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.ControlPlane;
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
 * The chart as {@code helm install} puts it into a namespace of the real control plane (the real Helm, with its
 * OpenAPI validation), and its packaged operator and endpoint run here as processes, as the Deployments' Pods would
 * (no kubelet runs: those Pods stay Pending). Each program gets the environment the chart gives its container and
 * authenticates as its Deployment's own ServiceAccount, with a token from the TokenRequest API: every call it makes
 * is held to the chart's RBAC, and what the chart does not grant is refused (403).
 */
final class InstalledChart implements AutoCloseable {

    /** The image the examples and the tests' profiles name. */
    static final String IMAGE = "c1100-universalk9.17.14.01a.SPA.bin";

    final ControlPlane cluster;
    /** The cluster administrator, in the release's namespace. */
    final KubernetesClient client;
    final String namespace;
    final Release release;
    /** What Helm rendered for this release. */
    final List<HasMetadata> manifests;
    private final Path work;
    private final List<Process> programs = new ArrayList<>();

    /** {@code helm install pnp ./pnp-operator -n <the client's namespace>} with {@code values}. */
    InstalledChart(ControlPlane cluster, KubernetesClient client, Path work, Map<String, Object> values) {
        this.cluster = cluster;
        this.client = client;
        this.namespace = client.getNamespace();
        this.work = work;
        InstallCommand install = new Helm(Chart.DIR).install().withName(Chart.RELEASE).withNamespace(namespace)
                .withKubeConfig(cluster.adminKubeconfig());
        values.forEach(install::set);
        this.release = install.call();
        this.manifests = Chart.parse(Chart.template(Chart.RELEASE, namespace, values));
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

    /** Starts the packaged operator as the chart's operator Deployment runs it, with {@code here}. */
    Process startOperator(Map<String, String> here) throws IOException {
        return startOperator("operator", here);
    }

    /** A replica of the operator, {@code name} its pod's (its log is {@code <name>.log}). */
    Process startOperator(String name, Map<String, String> here) throws IOException {
        return start(name, "../operator/target/pnp-operator.jar", "pnp-pnp-operator", here);
    }

    /** Starts the packaged endpoint as the chart's endpoint Deployment runs it, with {@code here}. */
    Process startEndpoint(Map<String, String> here) throws IOException {
        return start("endpoint", "../pnp-endpoint/target/pnp-endpoint.jar", "pnp-pnp-endpoint", here);
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

    /** What a test waits for: it may read the programs' logs or ask the cluster. */
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits until {@code condition} holds, at most 90 s; else fails naming it, with the programs' last lines. */
    void await(String what, Condition condition) throws Exception {
        Instant until = Instant.now().plusSeconds(90);
        while (!condition.holds()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("never: " + what + logs());
            }
            Thread.sleep(200);
        }
    }

    /** The last lines each program wrote, for a failure message. */
    String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var logs = Files.list(work)) {
            for (Path log : logs.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                all.append("\n--- ").append(log.getFileName()).append(" (last 30 lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        }
        return all.toString();
    }

    /** What a program wrote to its log. */
    String log(String program) throws IOException {
        return Files.readString(work.resolve(program + ".log"));
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        programs.forEach(Process::destroyForcibly);
        for (Process program : programs) {
            try {
                program.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts {@code jar} — this commit's or another release's program — as {@code deployment}'s pods run it: its
     * environment, its ServiceAccount; {@code name} is its pod's (its log is {@code <name>.log}).
     */
    Process start(String name, String jar, String deployment, Map<String, String> here) throws IOException {
        PodSpec pod = Chart.named(manifests, Deployment.class, deployment).getSpec().getTemplate().getSpec();
        Map<String, String> env = new HashMap<>();
        for (EnvVar var : pod.getContainers().get(0).getEnv()) {
            if (var.getValueFrom() != null && var.getValueFrom().getFieldRef() != null) {
                env.put(var.getName(), switch (var.getValueFrom().getFieldRef().getFieldPath()) {
                    case "metadata.namespace" -> namespace;
                    case "spec.nodeName" -> "node-1";
                    default -> throw new AssertionError("no value here for " + var.getValueFrom().getFieldRef());
                });
            } else if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            }
        }
        env.put("HOSTNAME", name); // as Kubernetes sets it: the pod's name
        env.putAll(here);
        // Where the cluster is, and who the program is there: the Deployment's ServiceAccount.
        env.put("KUBECONFIG", cluster.serviceAccountKubeconfig(namespace, pod.getServiceAccountName()).toString());
        env.put("HOME", Files.createDirectories(work.resolve("home-" + deployment)).toString());
        ProcessBuilder builder = new ProcessBuilder(List.of("java", "-Xmx384m", "-jar", jar)).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("KUBE") || k.startsWith("PNP_"));
        builder.environment().putAll(env);
        Process program = builder.start();
        programs.add(program);
        return program;
    }
}
