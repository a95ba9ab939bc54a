package io.pnpoperator.crds;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.SpecCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The examples, and the standalone server's profile, read as the resource types. */
class ExamplesTest {

    @Test
    void exampleProfileReadsAsAPnpProfile() throws IOException {
        PnpProfile profile = read("examples/pnpprofile-isr1k.yaml", PnpProfile.class);
        assertThat(profile.getMetadata().getName()).isEqualTo("isr1k");
        assertThat(profile.getSpec().image().version()).isEqualTo("17.14.01a");
        assertThat(profile.getSpec().guestshell().packageFile()).isEqualTo("guestshell.17.09.01a.tar");
        assertThat(profile.getSpec().files()).extracting(f -> f.destination())
                .containsExactly("bootflash:", "bootflash:guest-share/");
    }

    @Test
    void everyExampleProfileHasAValidSpec() throws IOException {
        for (String example : new String[] {"examples/pnpprofile-isr1k.yaml", "examples/pnpprofile-isr1k-download.yaml"}) {
            assertThat(SpecCheck.problems(read(example, PnpProfile.class).getSpec())).as(example).isEmpty();
        }
        PnpProfile download = read("examples/pnpprofile-isr1k-download.yaml", PnpProfile.class);
        assertThat(download.getSpec().image().url()).startsWith("https://");
        assertThat(download.getSpec().files()).allSatisfy(f -> assertThat(f.url()).startsWith("https://"));
    }

    @Test
    void exampleDeviceReadsAsAPnpDevice() throws IOException {
        PnpDevice device = read("examples/pnpdevice-fgl2548l0aw.yaml", PnpDevice.class);
        assertThat(device.getMetadata().getName()).isEqualTo(device.getSpec().serialNumber().toLowerCase());
        assertThat(device.getSpec().variables()).containsEntry("hostname", "branch-0042");
    }

    @Test
    void standaloneProfileOfTheRepositoryIsAPnpProfileToo() throws IOException {
        PnpProfile profile = read("../pnp-profile.yaml", PnpProfile.class);
        assertThat(profile.getApiVersion()).isEqualTo(PnpApi.API_VERSION);
        assertThat(profile.getSpec().guestshell().script()).isEqualTo("pxs.py");
    }

    private static <T> T read(String file, Class<T> type) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return Serialization.unmarshal(in, type);
        }
    }
}
