package io.pnpoperator.operator;

import static io.pnpoperator.operator.TestProfiles.CONFIG_MAP;
import static io.pnpoperator.operator.TestProfiles.IMAGE;
import static io.pnpoperator.operator.TestProfiles.NS;
import static io.pnpoperator.operator.TestProfiles.condition;
import static io.pnpoperator.operator.TestProfiles.profile;
import static io.pnpoperator.operator.TestProfiles.volume;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceSpec;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.crds.profile.Image;
import io.pnpoperator.crds.profile.PlatformImage;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import io.pnpoperator.crds.profile.PnpProfileStatus;
import io.pnpoperator.crds.profile.ProfileMatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reconcile()} and {@code updateErrorStatus()} called directly, with a stub context for the secondary
 * resources and a folder as the volume: what each situation makes of the status, and when the profile is looked at
 * again. What the dependents derive from it is {@link DerivedResourcesTest}'s; the whole operator on an API server
 * is {@link PnpProfileReconcilerTest}'s.
 */
class ProfileReconcileTest {

    static final Duration RECHECK = Duration.ofSeconds(30);
    static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    @TempDir
    Path volume;
    PnpProfileReconciler reconciler;
    ConfigMap templates = new ConfigMapBuilder().withNewMetadata().withName(CONFIG_MAP).withNamespace(NS).endMetadata()
            .addToData("default.cfg", "hostname ${hostname}\n").build();

    @BeforeEach
    void reconciler() throws Exception {
        volume(volume, false);
        reconciler = reconcilerAt(T0);
    }

    @Test
    void everythingInPlaceIsReadyAndLookedAtAgainLater() throws Exception {
        Files.writeString(volume.resolve("images").resolve(IMAGE), "an image");
        PnpProfile profile = generation(profile("isr1k", "", "default.cfg"), 3);

        UpdateControl<PnpProfile> update = reconciler.reconcile(profile, context(profile, Map.of(ConfigMap.class,
                List.of(templates))));

        assertThat(update.isPatchStatus()).isTrue();
        assertThat(update.getScheduleDelay()).as("a file may be replaced without an event")
                .contains(RECHECK.toMillis());
        assertThat(profile.getStatus().ready()).isTrue();
        assertThat(profile.getStatus().observedGeneration()).isEqualTo(3L);
        assertThat(profile.getStatus().configMap()).isEqualTo("pnpprofile-isr1k");
        assertThat(profile.getStatus().conditions()).extracting(Condition::getType, Condition::getStatus,
                Condition::getLastTransitionTime).containsExactly(tuple("SpecValid", "True", T0.toString()),
                tuple("ArtifactsReady", "True", T0.toString()), tuple("ConfigReady", "True", T0.toString()),
                tuple("Ready", "True", T0.toString()));
    }

    @Test
    void twoProfilesWhoseRulesCanMeetOneRouterAtOnePriorityAreRefusedNamingBoth() throws Exception {
        Files.writeString(volume.resolve("images").resolve(IMAGE), "an image");
        PnpProfile isr = withMatch(profile("isr1k", "", "default.cfg"), new ProfileMatch(List.of("C11*"), null, null));
        PnpProfile pilot = withMatch(profile("pilot", "", "default.cfg"), new ProfileMatch(List.of("C1131-*"), null, null));
        PnpProfile c8200 = withMatch(profile("c8200", "", "default.cfg"), new ProfileMatch(List.of("C8200-*"), null, null));

        reconciler.reconcile(isr, context(isr, Map.of(ConfigMap.class, List.of(templates), PnpProfile.class,
                List.of(isr, pilot, c8200))));

        assertThat(isr.getStatus().ready()).isFalse();
        assertThat(condition(isr, "SpecValid").getMessage()).isEqualTo("spec.match of isr1k and of pilot can both match "
                + "one router at the same priority: give one of them a higher spec.match.priority, or narrow their "
                + "platforms or serials");

        PnpProfile preferred = withMatch(pilot, new ProfileMatch(List.of("C1131-*"), null, 10));
        reconciler.reconcile(isr, context(isr, Map.of(ConfigMap.class, List.of(templates), PnpProfile.class,
                List.of(isr, preferred, c8200))));
        assertThat(isr.getStatus().ready()).as("a priority decides").isTrue();
    }

    private static PnpProfile withMatch(PnpProfile profile, ProfileMatch match) {
        profile.setSpec(profile.getSpec().withMatch(match));
        return profile;
    }

    @Test
    void theSameFindingsLaterAreNoWriteAndKeepTheirTransitionTimes() throws Exception {
        Files.writeString(volume.resolve("images").resolve(IMAGE), "an image");
        PnpProfile profile = profile("isr1k", "", "default.cfg");
        Map<Class<?>, List<?>> secondaries = Map.of(ConfigMap.class, List.of(templates));
        reconciler.reconcile(profile, context(profile, secondaries));

        UpdateControl<PnpProfile> again = reconcilerAt(T0.plusSeconds(600)).reconcile(profile,
                context(profile, secondaries));

        assertThat(again.isNoUpdate()).isTrue();
        assertThat(condition(profile, "Ready").getLastTransitionTime()).isEqualTo(T0.toString());
    }

    @Test
    void aMissingImageAndTemplateAreNamedAndTheProfileIsLookedAtAgain() throws Exception {
        PnpProfile profile = profile("isr1k", "", "branch.cfg");

        UpdateControl<PnpProfile> update = reconciler.reconcile(profile, context(profile, Map.of(ConfigMap.class,
                List.of(templates))));

        assertThat(update.getScheduleDelay()).as("files arrive on the volume without an event")
                .contains(RECHECK.toMillis());
        assertThat(profile.getStatus().ready()).isFalse();
        assertThat(profile.getStatus().configMap()).as("not published").isNull();
        String missing = "images/" + IMAGE + " not found on volume pnp-artifacts";
        String noKey = "ConfigMap isr1k-configs has no key branch.cfg (keys: default.cfg)";
        assertThat(condition(profile, "ArtifactsReady").getMessage()).isEqualTo(missing);
        assertThat(condition(profile, "ConfigReady").getMessage()).isEqualTo(noKey);
        assertThat(condition(profile, "Ready")).satisfies(ready -> {
            assertThat(ready.getReason()).isEqualTo("NotReady");
            assertThat(ready.getMessage()).isEqualTo(missing + "; " + noKey);
        });
    }

    @Test
    void everyImageOfEveryPlatformIsCheckedAndMeasured() throws Exception {
        String c8000 = "c8000be-universalk9.17.12.04.SPA.bin";
        Files.writeString(volume.resolve("images").resolve(IMAGE), "an image");
        PnpProfile profile = profile("mixed", "", "default.cfg");
        profile.setSpec(new PnpProfileSpec(profile.getSpec().configRegister(), null, List.of(
                new PlatformImage(List.of("C11*"), new Image(IMAGE, "17.14.01a", null, null, null)),
                new PlatformImage(List.of("C8200-*"), new Image(c8000, "17.12.04", null, null, null))),
                profile.getSpec().config(), profile.getSpec().files(), null, null, null, null, null, null));
        Map<Class<?>, List<?>> secondaries = Map.of(ConfigMap.class, List.of(templates));

        reconciler.reconcile(profile, context(profile, secondaries));
        assertThat(profile.getStatus().ready()).isFalse();
        assertThat(condition(profile, "ArtifactsReady").getMessage())
                .isEqualTo("images/" + c8000 + " not found on volume pnp-artifacts");

        Files.writeString(volume.resolve("images").resolve(c8000), "another image");
        reconciler.reconcile(profile, context(profile, secondaries));
        assertThat(profile.getStatus().ready()).isTrue();
        assertThat(profile.getStatus().artifacts()).extracting(PnpProfileStatus.ArtifactStatus::name)
                .contains(IMAGE, c8000);
        assertThat(profile.getStatus().artifacts()).allSatisfy(a -> assertThat(a.md5()).hasSize(32));
    }

    @Test
    void aFailedDownloadQuotesTheLastLineOfItsPodAndSaysHowToRetry() throws Exception {
        PnpProfile profile = downloaded("isr1k", "https://files.example.net/images/" + IMAGE);
        String job = ArtifactFetch.jobName(profile, Artifact.of(profile.getSpec()).get(0));
        Job failed = new JobBuilder().withNewMetadata().withName(job).withNamespace(NS).endMetadata().withNewStatus()
                .addNewCondition().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                .withMessage("Job has reached the specified backoff limit").endCondition().endStatus().build();
        Pod pod = new PodBuilder().withNewMetadata().withName(job + "-x7k2p").withNamespace(NS)
                .addToLabels("job-name", job).endMetadata().withNewStatus().addNewContainerStatus().withNewState()
                .withNewTerminated().withExitCode(22).withMessage("downloading https://files.example.net/images/" + IMAGE
                + " to images/" + IMAGE + "\ncurl: (22) The requested URL returned error: 404\n")
                .endTerminated().endState().endContainerStatus().endStatus().build();

        reconciler.reconcile(profile, context(profile, Map.of(ConfigMap.class, List.of(templates), Job.class,
                List.of(failed), Pod.class, List.of(pod))));

        assertThat(condition(profile, "ArtifactsReady")).satisfies(c -> {
            assertThat(c.getReason()).isEqualTo("DownloadFailed");
            assertThat(c.getMessage()).isEqualTo("download of images/" + IMAGE + " from https://files.example.net/"
                    + "images/" + IMAGE + " (Job " + job + ") failed: curl: (22) The requested URL returned error: "
                    + "404; fix the URL or the server, then delete Job " + job + " to try again");
        });
        assertThat(profile.getStatus().artifacts().get(0).job()).isEqualTo(job);
    }

    @Test
    void devicesNamingTheProfileAreCountedByPhase() throws Exception {
        PnpProfile profile = profile("isr1k", "", "default.cfg");
        List<PnpDevice> devices = List.of(device("fgl1", DevicePhase.PROVISIONING),
                device("fgl2", DevicePhase.PROVISIONING), device("fgl3", DevicePhase.FAILED), device("fgl4", null));

        reconciler.reconcile(profile, context(profile, Map.of(ConfigMap.class, List.of(templates), PnpDevice.class,
                devices)));

        assertThat(profile.getStatus().devices()).containsExactly(Map.entry("Failed", 1L),
                Map.entry("NotContacted", 1L), Map.entry("Provisioning", 2L));
    }

    @Test
    void aFailedReconcileSaysSoInReadyAndKeepsTheOtherConditions() throws Exception {
        Files.writeString(volume.resolve("images").resolve(IMAGE), "an image");
        PnpProfile profile = profile("isr1k", "", "default.cfg");
        reconciler.reconcile(profile, context(profile, Map.of(ConfigMap.class, List.of(templates))));

        ErrorStatusUpdateControl<PnpProfile> update = reconcilerAt(T0.plusSeconds(60)).updateErrorStatus(profile,
                context(profile, Map.of()), new KubernetesClientException("configmaps \"pnpprofile-isr1k\" is "
                        + "forbidden: User \"system:serviceaccount:pnp:pnp-operator\" cannot update resource"));

        assertThat(update.getResource()).containsSame(profile);
        assertThat(profile.getStatus().conditions()).extracting(Condition::getType, Condition::getStatus)
                .containsExactly(tuple("SpecValid", "True"), tuple("ArtifactsReady", "True"),
                        tuple("ConfigReady", "True"), tuple("Ready", "False"));
        assertThat(condition(profile, "Ready")).satisfies(ready -> {
            assertThat(ready.getReason()).isEqualTo("ReconcileError");
            assertThat(ready.getMessage()).startsWith("could not check the profile: configmaps \"pnpprofile-isr1k\""
                    + " is forbidden");
            assertThat(ready.getLastTransitionTime()).isEqualTo(T0.plusSeconds(60).toString());
        });
    }

    @Test
    void aFailureBeforeAnyStatusStillLeavesAReadyCondition() {
        PnpProfile profile = generation(profile("isr1k", "", "default.cfg"), 1);

        reconciler.updateErrorStatus(profile, context(profile, Map.of()), new IllegalStateException("volume gone"));

        assertThat(profile.getStatus().ready()).isFalse();
        assertThat(profile.getStatus().observedGeneration()).isEqualTo(1L);
        assertThat(profile.getStatus().conditions()).singleElement().satisfies(ready -> {
            assertThat(ready.getType()).isEqualTo("Ready");
            assertThat(ready.getMessage()).isEqualTo("could not check the profile: volume gone");
        });
    }

    private PnpProfileReconciler reconcilerAt(Instant now) {
        return PnpProfileReconciler.withoutDependents(new ArtifactChecks(new ArtifactVolume(volume, "pnp-artifacts")),
                new ArtifactFetch("curlimages/curl", List.of(), null, "pnp-artifacts",
                        new OperatorSettings.PodSecurity(null, null, null)), RECHECK, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static StubContext<PnpProfile> context(PnpProfile profile, Map<Class<?>, List<?>> secondaries) {
        return new StubContext<>(profile, secondaries);
    }

    private static PnpProfile generation(PnpProfile profile, long generation) {
        profile.getMetadata().setGeneration(generation);
        return profile;
    }

    /** A profile whose image comes from {@code url}, with a uid as the API server would give it. */
    private static PnpProfile downloaded(String name, String url) {
        PnpProfile profile = profile(name, "", "default.cfg");
        profile.getMetadata().setUid("5d1c6a8e-1f0b-4c1e-9a55-0c3f3c0a7e11");
        profile.setSpec(new PnpProfileSpec(profile.getSpec().configRegister(), new Image(IMAGE, "17.14.01a", "", url,
                null), profile.getSpec().config(), profile.getSpec().files(), null, null));
        return profile;
    }

    private static PnpDevice device(String serial, DevicePhase phase) {
        PnpDevice device = new PnpDevice();
        device.setMetadata(new ObjectMetaBuilder().withName(serial.toLowerCase()).withNamespace(NS).build());
        device.setSpec(new PnpDeviceSpec(serial, "isr1k", null, null));
        Optional.ofNullable(phase).ifPresent(p -> device.setStatus(new PnpDeviceStatus(p, null, 0, null, T0.toString(), null,
                null, null, List.of(), 1L, null, null, List.of(), null)));
        return device;
    }
}
