package io.pnpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.pnpoperator.crds.profile.ArtifactFile;
import io.pnpoperator.crds.profile.DayZeroConfig;
import io.pnpoperator.crds.profile.Image;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import io.pnpoperator.crds.profile.PnpProfileStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real operator against the mock API server (CRUD mode, the project's CRDs) and a folder as the volume. */
@EnableKubernetesMockClient(crud = true)
class PnpProfileReconcilerTest {

    static final String NS = "pnp";
    static final String IMAGE = "c1100-universalk9.17.14.01a.SPA.bin";

    io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path volume;
    PnpOperator operator;

    @BeforeEach
    void start() throws Exception {
        Crds.install(client);
        Crds.allowLeaderElection(server);
        Files.createDirectories(volume.resolve("images"));
        Files.createDirectories(volume.resolve("files"));
        Files.writeString(volume.resolve("files/pxs.py"), "print('hello')\n");
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("isr1k-configs").withNamespace(NS).endMetadata()
                .addToData("default.cfg", "hostname ${hostname}\n").build()).create();
        operator = new PnpOperator(client, new OperatorSettings(NS, volume, "pnp-artifacts", Duration.ofMillis(200),
                Duration.ofMinutes(15), "test", false, 0));
        operator.start();
    }

    @AfterEach
    void stop() {
        operator.close();
    }

    @Test
    void profileWithEverythingInPlaceIsReadyWithComputedMd5s() throws Exception {
        byte[] image = "an IOS-XE image".getBytes();
        Files.write(volume.resolve("images").resolve(IMAGE), image);
        create("isr1k", "", "default.cfg");

        PnpProfile ready = await("isr1k", p -> Boolean.TRUE.equals(p.getStatus().ready()));
        assertThat(ready.getStatus().artifacts()).containsExactly(
                new PnpProfileStatus.ArtifactStatus(IMAGE, true, (long) image.length, md5(image)),
                new PnpProfileStatus.ArtifactStatus("pxs.py", true, 15L, md5("print('hello')\n".getBytes())));
        assertThat(ready.getStatus().conditions()).extracting(Condition::getType, Condition::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ArtifactsReady", "True"),
                        org.assertj.core.groups.Tuple.tuple("ConfigReady", "True"));
        assertThat(ready.getStatus().observedGeneration()).isEqualTo(ready.getMetadata().getGeneration());

        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI base = java.net.URI.create("http://127.0.0.1:" + operator.httpPort());
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/readyz")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("pnp_profiles_ready 1.0").contains("operator_sdk_");
    }

    @Test
    void missingImageIsNamedAndClearsOnceTheFileAppears() throws Exception {
        create("isr1k", "", "default.cfg");
        PnpProfile missing = await("isr1k", p -> p.getStatus().conditions() != null);
        assertThat(missing.getStatus().ready()).isFalse();
        assertThat(condition(missing, "ArtifactsReady").getMessage())
                .isEqualTo("images/" + IMAGE + " not found on volume pnp-artifacts");

        Files.writeString(volume.resolve("images").resolve(IMAGE), "arrived later");
        assertThat(await("isr1k", p -> Boolean.TRUE.equals(p.getStatus().ready())).getStatus().ready()).isTrue();
    }

    @Test
    void wrongMd5AndMissingTemplateSayWhatToFix() throws Exception {
        Files.writeString(volume.resolve("images").resolve(IMAGE), "an image");
        create("broken", "0123456789abcdef0123456789abcdef", "branch.cfg");
        PnpProfile broken = await("broken", p -> p.getStatus().conditions() != null);
        assertThat(broken.getStatus().ready()).isFalse();
        assertThat(condition(broken, "ArtifactsReady").getMessage()).isEqualTo("images/" + IMAGE + " has MD5 "
                + md5("an image".getBytes()) + " but spec says 0123456789abcdef0123456789abcdef");
        assertThat(condition(broken, "ConfigReady").getMessage()).isEqualTo("ConfigMap isr1k-configs has no key branch.cfg");
    }

    private void create(String name, String md5, String template) {
        PnpProfile profile = new PnpProfile();
        profile.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        profile.setSpec(new PnpProfileSpec("0x2102", new Image(IMAGE, "17.14.01a", md5, null),
                new DayZeroConfig(template, true, "isr1k-configs"),
                List.of(new ArtifactFile("pxs.py", "bootflash:guest-share/", null)), null));
        client.resource(profile).create();
    }

    private PnpProfile await(String name, Predicate<PnpProfile> condition) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(until)) {
            PnpProfile p = client.resources(PnpProfile.class).inNamespace(NS).withName(name).get();
            if (p != null && p.getStatus() != null && condition.test(p)) {
                return p;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never reached the expected status: "
                + client.resources(PnpProfile.class).inNamespace(NS).withName(name).get());
    }

    private static Condition condition(PnpProfile p, String type) {
        return p.getStatus().conditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static String md5(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    }
}
