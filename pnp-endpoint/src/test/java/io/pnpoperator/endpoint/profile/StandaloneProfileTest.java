package io.pnpoperator.endpoint.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pnpoperator.endpoint.Lab;
import io.pnpoperator.endpoint.PnpEndpointApplication;
import io.pnpoperator.endpoint.provisioning.ProfileSource;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Profile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A profile that cannot work stops the server at start, naming what to fix. */
class StandaloneProfileTest {

    @TempDir
    Path folder;
    Lab lab;

    @BeforeEach
    void lab() {
        lab = Lab.create(folder);
    }

    @Test
    void labProfileBecomesTheWorkflowProfileWithComputedMd5s() {
        Profile profile = load().profile();
        assertThat(profile.name()).isEqualTo("lab");
        assertThat(profile.configRegister()).contains("0x2102");
        assertThat(profile.image().orElseThrow().md5()).matches("[0-9a-f]{32}");
        Profile.Guestshell guestshell = profile.guestshell().orElseThrow();
        assertThat(guestshell.script().orElseThrow().devicePath()).isEqualTo("bootflash:guest-share/pxs.py");
        assertThat(guestshell.packageFile().orElseThrow().devicePath()).isEqualTo("bootflash:" + Lab.PACKAGE);
        assertThat(guestshell.packageFile().orElseThrow().md5()).hasValueSatisfying(m -> assertThat(m).hasSize(32));
    }

    @Test
    void anImageReplacedWhileTheServerRunsIsMeasuredOnceAndOfferedOnlyWithItsNewMd5() throws Exception {
        List<Runnable> measuring = new ArrayList<>();
        StandaloneProfile loaded = load(measuring::add);
        String before = ((ProfileSource.Assigned) loaded.assignment()).profile().image().orElseThrow().md5();

        Files.write(lab.path("images/" + Lab.IMAGE), "a newer build of the same image".getBytes());
        for (int i = 0; i < 3; i++) {
            assertThat(loaded.assignment()).as("held, briefly, while measured").isInstanceOfSatisfying(
                    ProfileSource.Held.class, held -> {
                        assertThat(held.reason()).isEqualTo("profile lab: images/" + Lab.IMAGE + " changed on disk: "
                                + "its MD5 is being measured");
                        assertThat(held.phase()).isEqualTo(Phase.PENDING);
                        assertThat(held.briefly()).isTrue();
                        assertThat(held.profile()).as("answers to work already sent are still read")
                                .contains(loaded.profile());
                    });
        }
        assertThat(measuring).as("measured once, in the background").hasSize(1);
        measuring.remove(0).run();
        String after = ((ProfileSource.Assigned) loaded.assignment()).profile().image().orElseThrow().md5();
        assertThat(after).isNotEqualTo(before).isEqualTo(md5("a newer build of the same image"));

        Files.delete(lab.path("images/" + Lab.IMAGE));
        assertThat(loaded.assignment()).isInstanceOfSatisfying(ProfileSource.Held.class, held -> {
            assertThat(held.reason()).isEqualTo("profile lab: images/" + Lab.IMAGE + " is missing from "
                    + lab.path("images") + ": devices that need it wait until it is back");
            assertThat(held.briefly()).isFalse();
        });
    }

    @Test
    void repositoryProfileLoadsAgainstTheRepositoryFolders() {
        Path repo = Path.of("").toAbsolutePath().getParent();
        StandaloneProfile loaded = StandaloneProfile.loadAll(repo.resolve("pnp-profile.yaml"),
                new StandaloneProfile.Folders(repo.resolve("configs"), repo.resolve("images"), repo.resolve("files")),
                Runnable::run).get(0);
        assertThat(loaded.profile().guestshell().orElseThrow().eemApplet()).contains("InstallGuestShell");
        assertThat(loaded.configs().enabled()).isTrue();
    }

    @Test
    void missingImageIsNamedWithItsPath() throws Exception {
        Files.delete(lab.path("images/" + Lab.IMAGE));
        assertRefused("spec.image.file names " + lab.path("images/" + Lab.IMAGE) + ", which does not exist");
    }

    @Test
    void missingFileIsNamedWithItsPath() throws Exception {
        Files.delete(lab.path("files/" + Lab.SCRIPT));
        assertRefused("spec.files[1].name names " + lab.path("files/" + Lab.SCRIPT) + ", which does not exist");
    }

    @Test
    void wrongMd5IsRefused() {
        lab.write("pnp-profile.yaml", Lab.PROFILE.replace("md5: \"\"", "md5: \"00000000000000000000000000000000\""));
        assertRefused("spec.image.md5 is 00000000000000000000000000000000 but " + lab.path("images/" + Lab.IMAGE)
                + " has MD5 ");
    }

    @Test
    void badValuesAreRefusedOneByOne() {
        expectRefusal("md5: \"\"", "md5: \"XYZ\"", "spec.image.md5 'XYZ' is not 32 lower-case hex digits");
        expectRefusal("configRegister: \"0x2102\"", "configRegister: \"2102\"", "spec.configRegister '2102' is not a hex value");
        expectRefusal("minFreeBytes: 1026107392", "minFreeBytes: -1", "spec.guestshell.minFreeBytes must not be negative");
        expectRefusal("script: pxs.py", "script: other.py", "spec.guestshell.script 'other.py' is not listed in spec.files");
        expectRefusal("template: default.cfg", "template: ../pnp-profile.yaml", "spec.config.template '../pnp-profile.yaml' "
                + "must be a plain file name");
        expectRefusal("kind: PnpProfile", "kind: PnpDevice", "expected apiVersion pnp.pnpoperator.io/v1alpha1 and kind "
                + "PnpProfile, found pnp.pnpoperator.io/v1alpha1 and PnpDevice");
        expectRefusal("eemApplet:", "eemAplet:", "is not a valid PnpProfile: Unrecognized field \"eemAplet\"");
        expectRefusal("md5: \"\"", "md5: \"\"\n    url: http://files.lab/image.bin", "spec.image.url is for a cluster");
        expectRefusal("perDevice: true", "perDevice: true\n    configMap: lab-configs", "spec.config.configMap is for a cluster");
    }

    @Test
    void serverDoesNotStartWithABrokenProfile() throws Exception {
        Files.delete(lab.path("images/" + Lab.IMAGE));
        assertThatThrownBy(() -> new SpringApplicationBuilder(PnpEndpointApplication.class).run(
                "--pnp.device-port=0", "--pnp.admin-port=0", "--pnp.data-dir=" + lab.path("data"),
                "--pnp.profile=" + lab.path("pnp-profile.yaml"), "--pnp.images-dir=" + lab.path("images"),
                "--pnp.files-dir=" + lab.path("files"), "--pnp.configs-dir=" + lab.path("configs")))
                .hasRootCauseInstanceOf(ProfileException.class)
                .rootCause().hasMessageContaining("which does not exist");
    }

    private void expectRefusal(String original, String replacement, String message) {
        lab.write("pnp-profile.yaml", Lab.PROFILE.replace(original, replacement));
        assertRefused(message);
    }

    private void assertRefused(String message) {
        assertThatThrownBy(this::load).isInstanceOf(ProfileException.class).hasMessageContaining(message);
    }

    private StandaloneProfile load() {
        return load(Runnable::run);
    }

    private StandaloneProfile load(Executor background) {
        return StandaloneProfile.loadAll(lab.path("pnp-profile.yaml"), new StandaloneProfile.Folders(lab.path("configs"),
                lab.path("images"), lab.path("files")), background).get(0);
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes()));
    }
}
