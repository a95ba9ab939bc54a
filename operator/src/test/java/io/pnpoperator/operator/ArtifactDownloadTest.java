package io.pnpoperator.operator;

import static io.pnpoperator.operator.TestProfiles.IMAGE;
import static io.pnpoperator.operator.TestProfiles.awaitProfile;
import static io.pnpoperator.operator.TestProfiles.awaitTrue;
import static io.pnpoperator.operator.TestProfiles.condition;
import static io.pnpoperator.operator.TestProfiles.md5;
import static io.pnpoperator.operator.TestProfiles.profile;
import static io.pnpoperator.operator.TestProfiles.startOperator;
import static io.pnpoperator.operator.TestProfiles.templates;
import static io.pnpoperator.operator.TestProfiles.volume;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.WithCluster;
import io.pnpoperator.crds.profile.Image;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Profiles whose image comes from a URL: the operator's download Job on the real control plane, and the Job's
 * own script run for real (sh, curl, md5sum) against an HTTP server on this machine, into the volume folder.
 */
@WithCluster
class ArtifactDownloadTest {

    static final byte[] CONTENT = "an IOS-XE image, downloaded".getBytes(StandardCharsets.UTF_8);

    KubernetesClient client;
    @TempDir
    Path volume;
    PnpOperator operator;
    HttpServer files;

    @BeforeEach
    void start() throws Exception {
        volume(volume, false);
        Files.delete(volume.resolve("images")); // the download Job makes it
        templates(client, client.getNamespace(), Map.of("default.cfg", "hostname ${hostname}\n"));
        files = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        files.createContext("/images/", exchange -> {
            boolean known = exchange.getRequestURI().getPath().endsWith(IMAGE);
            exchange.sendResponseHeaders(known ? 200 : 404, known ? CONTENT.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(known ? CONTENT : new byte[0]);
            }
        });
        files.start();
        operator = startOperator(client, volume);
    }

    @AfterEach
    void stop() {
        operator.close();
        files.stop(0);
    }

    @Test
    void aUrlBackedImageIsDownloadedByAJobThenTheProfileIsReady() throws Exception {
        String wrongUrl = url("/images/missing.bin");
        client.resource(profileWithUrl(wrongUrl, "")).create();

        PnpProfile downloading = await(p -> p.getStatus().artifacts() != null && p.getStatus().artifacts().get(0).job() != null);
        String firstJob = downloading.getStatus().artifacts().get(0).job();
        Job job = client.batch().v1().jobs().inNamespace(client.getNamespace()).withName(firstJob).get();
        assertThat(env(job)).containsEntry("URL", wrongUrl).containsEntry("FOLDER", "images").containsEntry("FILE", IMAGE);
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName())
                .isEqualTo("pnp-artifacts");
        assertThat(job.getMetadata().getOwnerReferences().get(0).getName()).isEqualTo("isr1k");
        assertThat(job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(condition(downloading, "ArtifactsReady").getReason()).isEqualTo("Downloading");
        assertThat(condition(downloading, "ArtifactsReady").getMessage())
                .isEqualTo("downloading images/" + IMAGE + " from " + wrongUrl + " (Job " + firstJob + ")");

        // Progress, as the Job writes beside the final name.
        Files.createDirectories(volume.resolve("images"));
        Files.write(volume.resolve("images/." + IMAGE + ".part"), new byte[3 << 20]);
        await(p -> condition(p, "ArtifactsReady").getMessage().endsWith("3 MiB so far"));

        // The Job's own script, run here: it fails on the 404 and says so.
        Run failed = runJobScript(job);
        assertThat(failed.exit()).isNotZero();
        assertThat(failed.output()).contains("404");
        assertThat(volume.resolve("images").resolve(IMAGE)).doesNotExist();
        finish(job, failed.exit(), failed.output());
        PnpProfile failure = await(p -> condition(p, "ArtifactsReady").getReason().equals("DownloadFailed"));
        assertThat(condition(failure, "ArtifactsReady").getMessage()).startsWith("download of images/" + IMAGE + " from "
                + wrongUrl + " (Job " + firstJob + ") failed: curl: (22) ").contains("404")
                .endsWith("; fix the URL or the server, then delete Job " + firstJob + " to try again");
        assertThat(failure.getStatus().ready()).isFalse();

        // A corrected URL is a new Job; the old one goes.
        PnpProfile edited = client.resources(PnpProfile.class).inNamespace(client.getNamespace()).withName("isr1k").get();
        String rightUrl = url("/images/" + IMAGE);
        edited.setSpec(profileWithUrl(rightUrl, md5(CONTENT)).getSpec());
        client.resource(edited).update();
        PnpProfile second = await(p -> p.getStatus().artifacts().get(0).job() != null
                && !p.getStatus().artifacts().get(0).job().equals(firstJob));
        String secondJob = second.getStatus().artifacts().get(0).job();
        awaitTrue(() -> client.batch().v1().jobs().inNamespace(client.getNamespace()).withName(firstJob).get() == null);

        Job next = client.batch().v1().jobs().inNamespace(client.getNamespace()).withName(secondJob).get();
        Run done = runJobScript(next);
        assertThat(done.exit()).as(done.output()).isZero();
        assertThat(volume.resolve("images").resolve(IMAGE)).hasBinaryContent(CONTENT);
        assertThat(volume.resolve("images/." + IMAGE + ".url")).hasContent(rightUrl);
        assertThat(volume.resolve("images/." + IMAGE + ".part")).doesNotExist();
        finish(next, done.exit(), "");

        PnpProfile ready = await(p -> Boolean.TRUE.equals(p.getStatus().ready()));
        assertThat(ready.getStatus().artifacts().get(0).md5()).isEqualTo(md5(CONTENT));
        assertThat(ready.getStatus().artifacts().get(0).job()).isNull();
        awaitTrue(() -> client.batch().v1().jobs().inNamespace(client.getNamespace()).list().getItems().isEmpty());

        // Reconciling again changes nothing: the file on the volume came from this URL. A spec edit makes the
        // operator look again, and its status says when it has (observedGeneration).
        PnpProfile touched = client.resources(PnpProfile.class).inNamespace(client.getNamespace()).withName("isr1k").edit(p -> {
            p.setSpec(new PnpProfileSpec("0x2142", p.getSpec().image(), p.getSpec().config(), p.getSpec().files(),
                    p.getSpec().guestshell(), p.getSpec().credentialsSecret()));
            return p;
        });
        await(p -> touched.getMetadata().getGeneration().equals(p.getStatus().observedGeneration()));
        assertThat(client.batch().v1().jobs().inNamespace(client.getNamespace()).list().getItems()).isEmpty();
    }

    @Test
    void theJobScriptRefusesAFileWithAnotherMd5() throws Exception {
        client.resource(profileWithUrl(url("/images/" + IMAGE), "0123456789abcdef0123456789abcdef")).create();
        PnpProfile downloading = await(p -> p.getStatus().artifacts() != null && p.getStatus().artifacts().get(0).job() != null);
        Job job = client.batch().v1().jobs().inNamespace(client.getNamespace()).withName(downloading.getStatus().artifacts().get(0).job()).get();

        Run run = runJobScript(job);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("images/" + IMAGE + " from " + url("/images/" + IMAGE) + " has MD5 "
                + md5(CONTENT) + ", not 0123456789abcdef0123456789abcdef as the profile says");
        try (var left = Files.list(volume.resolve("images"))) {
            assertThat(left).as("nothing left behind").isEmpty();
        }
    }

    private PnpProfile profileWithUrl(String url, String md5) {
        PnpProfile profile = profile("isr1k", md5, "default.cfg");
        PnpProfileSpec spec = profile.getSpec();
        profile.setSpec(spec.withImage(new Image(IMAGE, "17.14.01a", md5, url, null)));
        return profile;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + files.getAddress().getPort() + path;
    }

    private record Run(int exit, String output) {
    }

    /** The Job's container command, run on this machine with the volume folder as its mount. */
    private Run runJobScript(Job job) throws Exception {
        List<String> command = job.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env(job));
        builder.environment().put("ARTIFACTS", volume.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), output);
    }

    /**
     * As a kubelet would, for the Pods the real Job controller makes for {@code job}: each ends with {@code exitCode}
     * and {@code message} (the termination message the operator reads), until the Job controller judges the Job
     * (Complete, or Failed after its backoff limit: each retry comes after the controller's own back-off delay), or the
     * operator, having read the verdict, has deleted the Job.
     */
    private void finish(Job job, int exitCode, String message) throws InterruptedException {
        String name = job.getMetadata().getName();
        Instant until = Instant.now().plusSeconds(120);
        while (!judged(client.batch().v1().jobs().withName(name).get())) {
            assertThat(Instant.now()).as("Job " + name + " judged by the Job controller").isBefore(until);
            for (Pod pod : client.pods().withLabel("batch.kubernetes.io/job-name", name).list().getItems()) {
                if (pod.getStatus() == null || !List.of("Succeeded", "Failed").contains(pod.getStatus().getPhase())) {
                    Container container = pod.getSpec().getContainers().get(0);
                    pod.setStatus(new PodStatusBuilder().withPhase(exitCode == 0 ? "Succeeded" : "Failed")
                            .addNewContainerStatus().withName(container.getName()).withImage(container.getImage())
                            .withImageID("").withReady(false).withRestartCount(0).withNewState().withNewTerminated()
                            .withExitCode(exitCode).withReason(exitCode == 0 ? "Completed" : "Error").withMessage(message)
                            .endTerminated().endState().endContainerStatus().build());
                    client.pods().resource(pod).updateStatus();
                }
            }
            Thread.sleep(200);
        }
    }

    private static boolean judged(Job job) {
        return job == null || job.getStatus() != null && job.getStatus().getConditions() != null && job.getStatus().getConditions()
                .stream().anyMatch(c -> List.of("Complete", "Failed").contains(c.getType()) && c.getStatus().equals("True"));
    }

    /** The container's environment as the kubelet gives it: an empty value is stored as none, and set empty. */
    private static Map<String, String> env(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, v -> v.getValue() == null ? "" : v.getValue()));
    }

    /** The profile isr1k, once it has conditions and they satisfy {@code condition}. */
    private PnpProfile await(Predicate<PnpProfile> condition) throws InterruptedException {
        return awaitProfile(client, "isr1k", p -> p.getStatus().conditions() != null && condition.test(p));
    }
}
