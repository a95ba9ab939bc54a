package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.DryRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pnp-device-sim --profile … --platforms …} on the packaged server: what each model would get. */
class DryRunIT {

    @TempDir
    Path folder;

    @Test
    void eachModelIsShownItsProfileStepsImageAndConfigOrWhereItStops() throws Exception {
        Lab lab = Lab.create(folder);
        Files.write(lab.path("images/" + MixedFleetTest.C8000_IMAGE), new byte[64 * 1024]);
        lab.write("pnp-profile.yaml", Lab.PROFILE.replaceFirst("(?s)  image:\n.*?md5: \"\"\n", """
                  images:
                    - platforms: ["C11*"]
                      image: {file: %s, version: %s}
                    - platforms: ["C8200-*"]
                      image: {file: %s, version: "17.12.04"}
                """.formatted(Lab.IMAGE, Lab.TARGET_VERSION, MixedFleetTest.C8000_IMAGE)));

        List<DryRun.Outcome> outcomes = DryRun.run(Path.of("target/pnp-endpoint.jar"), lab.path("pnp-profile.yaml"),
                List.of("C1111-8P", "C8200-1N-4T", "ISR4331/K9"), DeviceOptions.defaults().withSpeed(5000),
                Duration.ofSeconds(90));
        String printed = DryRun.print(outcomes);
        System.out.print(printed);

        assertThat(outcomes).extracting(DryRun.Outcome::finished).containsExactly(true, true, false);
        assertThat(printed).contains("C1111-8P (simulated DRY00001): provisioned\n  profile: lab\n  image:   bootflash:"
                + Lab.IMAGE + ", running 17.14.01a\n  steps:   NEW_DEVICE → CONFIG_REG → CHECK_IMAGE_VER → UPGRADE_NEEDED");
        assertThat(printed).contains("C8200-1N-4T (simulated DRY00002): provisioned", "bootflash:"
                + MixedFleetTest.C8000_IMAGE + ", running 17.12.04", "    hostname lab-router");
        assertThat(printed).contains("ISR4331/K9 (simulated DRY00003): stopped at NEW_DEVICE (Pending): no image for "
                + "platform ISR4331/K9 in profile lab", "  image:   none installed, running 17.06.01a");
        assertThat(printed).endsWith("2 of 3 models provisioned\n");
    }

    @Test
    void aProfileTheServerRefusesIsSaidWithTheServersOwnWords() throws Exception {
        Lab lab = Lab.create(folder);
        Files.delete(lab.path("images/" + Lab.IMAGE));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DryRun.run(Path.of("target/pnp-endpoint.jar"),
                        lab.path("pnp-profile.yaml"), List.of("C1111-8P"), DeviceOptions.defaults().withSpeed(5000),
                        Duration.ofSeconds(30)))
                .hasMessageStartingWith("the server stopped before it was ready:")
                .hasMessageContaining("spec.image.file names " + lab.path("images/" + Lab.IMAGE) + ", which does not exist");
    }
}
