package io.pnpoperator.operator;

import static io.pnpoperator.operator.TestProfiles.IMAGE;
import static io.pnpoperator.operator.TestProfiles.SCRIPT;
import static io.pnpoperator.operator.TestProfiles.awaitProfile;
import static io.pnpoperator.operator.TestProfiles.awaitTrue;
import static io.pnpoperator.operator.TestProfiles.condition;
import static io.pnpoperator.operator.TestProfiles.md5;
import static io.pnpoperator.operator.TestProfiles.profile;
import static io.pnpoperator.operator.TestProfiles.startOperator;
import static io.pnpoperator.operator.TestProfiles.templates;
import static io.pnpoperator.operator.TestProfiles.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pnpoperator.testcluster.WithCluster;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceSpec;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.crds.profile.ArtifactFile;
import io.pnpoperator.crds.profile.Guestshell;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import io.pnpoperator.crds.profile.PnpProfileStatus.ArtifactStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real operator against the real control plane (the project's CRDs) and a folder as the volume. */
@WithCluster
class PnpProfileReconcilerTest {

    KubernetesClient client;
    @TempDir
    Path volume;
    PnpOperator operator;

    @BeforeEach
    void start() throws Exception {
        volume(volume, false);
        templates(client, client.getNamespace(), Map.of("default.cfg", "hostname ${hostname}\n", "FGL2231A0AB.cfg", "hostname branch-7\n",
                "notes.txt", "not a config"));
        operator = startOperator(client, volume);
    }

    @AfterEach
    void stop() {
        operator.close();
    }

    @Test
    void profileWithEverythingInPlaceIsReadyAndPublishedInItsOwnConfigMap() throws Exception {
        byte[] image = "an IOS-XE image".getBytes();
        Files.write(volume.resolve("images").resolve(IMAGE), image);
        PnpProfile created = client.resource(profile("isr1k", "", "default.cfg")).create();

        PnpProfile ready = await("isr1k", p -> Boolean.TRUE.equals(p.getStatus().ready()));
        assertThat(ready.getStatus().artifacts()).containsExactly(
                new ArtifactStatus(IMAGE, true, (long) image.length, md5(image), null),
                new ArtifactStatus("pxs.py", true, (long) SCRIPT.length(), md5(SCRIPT.getBytes()), null));
        assertThat(ready.getStatus().conditions()).extracting(Condition::getType, Condition::getStatus)
                .containsExactly(tuple("SpecValid", "True"), tuple("ArtifactsReady", "True"), tuple("ConfigReady", "True"),
                        tuple("Ready", "True"));
        assertThat(ready.getStatus().observedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
        assertThat(ready.getStatus().configMap()).isEqualTo("pnpprofile-isr1k");

        ConfigMap published = client.configMaps().inNamespace(client.getNamespace()).withName("pnpprofile-isr1k").get();
        assertThat(published.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("PnpProfile");
            assertThat(owner.getUid()).isEqualTo(created.getMetadata().getUid());
            assertThat(owner.getController()).isTrue();
        });
        assertThat(published.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "pnp-operator");
        assertThat(published.getData()).containsOnlyKeys("profile.yaml", "default.cfg", "FGL2231A0AB.cfg");
        PnpProfile manifest = client.getKubernetesSerialization().unmarshal(published.getData().get("profile.yaml"),
                PnpProfile.class);
        assertThat(manifest.getSpec().image().md5()).as("the measured MD5, in the served manifest").isEqualTo(md5(image));

        // A change to the template reaches the published copy.
        templates(client, client.getNamespace(), Map.of("default.cfg", "hostname ${hostname}\nip domain lookup\n"));
        awaitTrue(() -> client.configMaps().inNamespace(client.getNamespace()).withName("pnpprofile-isr1k").get().getData()
                .get("default.cfg").contains("ip domain lookup"));

        HttpClient http = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + operator.httpPort());
        assertThat(get(http, base.resolve("/healthz")).statusCode()).isEqualTo(200);
        assertThat(get(http, base.resolve("/readyz")).statusCode()).isEqualTo(200);
        assertThat(get(http, base.resolve("/metrics")).body()).contains("pnp_profiles_ready 1.0")
                .contains("operator_sdk_controllers_execution_reconcile_seconds_bucket{");
    }

    @Test
    void missingImageIsNamedAndClearsOnceTheFileAppears() throws Exception {
        client.resource(profile("isr1k", "", "default.cfg")).create();
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
        client.resource(profile("broken", "0123456789abcdef0123456789abcdef", "branch.cfg")).create();
        PnpProfile broken = await("broken", p -> p.getStatus().conditions() != null);
        assertThat(broken.getStatus().ready()).isFalse();
        assertThat(condition(broken, "ArtifactsReady").getMessage()).isEqualTo("images/" + IMAGE + " has MD5 "
                + md5("an image".getBytes()) + " but spec says 0123456789abcdef0123456789abcdef");
        assertThat(condition(broken, "ConfigReady").getMessage()).isEqualTo("ConfigMap isr1k-configs has no key "
                + "branch.cfg (keys: FGL2231A0AB.cfg, default.cfg, notes.txt)");
        assertThat(broken.getStatus().configMap()).as("nothing published").isNull();
    }

    @Test
    void specsTheApiServerRefusesNeverReachTheOperator() {
        PnpProfile bad = profile("bad", "NOT-AN-MD5", "default.cfg");
        bad.setSpec(new PnpProfileSpec("0x2102", bad.getSpec().image(), bad.getSpec().config(),
                List.of(new ArtifactFile("../../etc/passwd", "bootflash:", null)),
                new Guestshell(true, null, SCRIPT, null, -5L, null), null));
        assertThatThrownBy(() -> client.resource(bad).create()).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    assertThat(e.getStatus().getDetails().getCauses()).extracting(c -> c.getField()).containsExactlyInAnyOrder(
                            "spec.image.md5", "spec.files[0].name", "spec.guestshell.minFreeBytes");
                });
        assertThat(client.resources(PnpProfile.class).inNamespace(client.getNamespace()).withName("bad").get()).isNull();
    }

    @Test
    void specsOnlyTheOperatorCanCheckAreExplainedAndOtherProfilesKeepReconciling() throws Exception {
        Files.writeString(volume.resolve("images").resolve(IMAGE), "an image");
        PnpProfile bad = profile("bad", "", "default.cfg");
        bad.setSpec(new PnpProfileSpec("0x2102", bad.getSpec().image(), bad.getSpec().config(), List.of(),
                new Guestshell(true, "guestshell.tar", "pxs.py", null, 0L, null), null));
        client.resource(bad).create();
        client.resource(profile("good", "", "default.cfg")).create();

        PnpProfile explained = await("bad", p -> p.getStatus().conditions() != null);
        assertThat(explained.getStatus().ready()).isFalse();
        assertThat(condition(explained, "SpecValid").getStatus()).isEqualTo("False");
        assertThat(condition(explained, "SpecValid").getMessage().split("; ")).containsExactly(
                "spec.guestshell.package 'guestshell.tar' is not listed in spec.files: add it there with its destination",
                "spec.guestshell.script 'pxs.py' is not listed in spec.files: add it there with its destination");
        assertThat(condition(explained, "ArtifactsReady").getStatus()).isEqualTo("Unknown");
        assertThat(await("good", p -> Boolean.TRUE.equals(p.getStatus().ready())).getStatus().ready()).isTrue();
    }

    @Test
    void devicesNamingTheProfileAreCountedByPhase() throws Exception {
        Files.writeString(volume.resolve("images").resolve(IMAGE), "an image");
        client.resource(profile("isr1k", "", "default.cfg")).create();
        device("fgl1", "isr1k", DevicePhase.PROVISIONING);
        device("fgl2", "isr1k", DevicePhase.PROVISIONING);
        device("fgl3", "isr1k", DevicePhase.PROVISIONED);
        device("fgl4", "isr1k", null);
        device("fgl5", "other", DevicePhase.FAILED);
        PnpProfile counted = await("isr1k", p -> p.getStatus().devices() != null && p.getStatus().devices().size() == 3);
        assertThat(counted.getStatus().devices()).containsExactlyInAnyOrderEntriesOf(
                Map.of("Provisioning", 2L, "Provisioned", 1L, "NotContacted", 1L));
    }

    @Test
    void aProfileDeletedWhileRoutersAreProvisionedWithItStaysUntilTheyAreDone() throws Exception {
        Files.writeString(volume.resolve("images").resolve(IMAGE), "an image");
        client.resource(profile("isr1k", "", "default.cfg")).create();
        await("isr1k", p -> Boolean.TRUE.equals(p.getStatus().ready()));
        assertThat(client.resources(PnpProfile.class).inNamespace(client.getNamespace()).withName("isr1k").get().getMetadata()
                .getFinalizers()).containsExactly("pnp.pnpoperator.io/in-use");
        device("fgl1", "isr1k", DevicePhase.PROVISIONING);
        device("fgl2", "isr1k", DevicePhase.PROVISIONED);

        client.resources(PnpProfile.class).inNamespace(client.getNamespace()).withName("isr1k").delete();
        PnpProfile kept = await("isr1k", p -> "DeletionWaitsForDevices".equals(condition(p, "Ready").getReason()));
        assertThat(kept.getMetadata().getDeletionTimestamp()).isNotNull();
        assertThat(condition(kept, "Ready").getMessage()).isEqualTo("deleted, but kept until no device is provisioned "
                + "with it: fgl1 (let them finish, or delete them)");

        String now = Instant.now().toString();
        TestProfiles.setStatus(client, "fgl1", new PnpDeviceStatus(DevicePhase.PROVISIONED, null, 0, null, now, null,
                null, null, List.of(), 1L, new PnpDeviceStatus.Identity(null, null, null, null, now, now), null,
                List.of(), null));
        awaitTrue(() -> client.resources(PnpProfile.class).inNamespace(client.getNamespace()).withName("isr1k").get() == null);
    }

    private void device(String name, String profile, DevicePhase phase) {
        PnpDevice device = new PnpDevice();
        device.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(client.getNamespace()).build());
        device.setSpec(new PnpDeviceSpec(name.toUpperCase(), profile, null, null));
        client.resource(device).create();
        if (phase != null) {
            String now = Instant.now().toString();
            TestProfiles.setStatus(client, name, new PnpDeviceStatus(phase, null, 0, null, now, null, null, null,
                    List.of(), 1L, new PnpDeviceStatus.Identity(null, null, null, null, now, now), null, List.of(), null));
        }
    }

    private PnpProfile await(String name, Predicate<PnpProfile> condition) throws InterruptedException {
        return awaitProfile(client, name, condition);
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
