package io.pnpoperator.operator;

import static io.pnpoperator.operator.TestProfiles.startOperator;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.WithCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifacts volume served read-only on the operator's port, for endpoints that keep copies of their own
 * (artifacts.mode mirrored): a file of images/ or files/, whole; nothing else of the volume or the disk.
 */
@WithCluster
class VolumeServingTest {

    KubernetesClient client;
    @TempDir
    Path volume;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void filesOfTheVolumeAndNothingElse() throws Exception {
        Files.createDirectories(volume.resolve("images"));
        Files.write(volume.resolve("images/c1100.bin"), new byte[] {1, 2, 3});
        Files.writeString(volume.resolve("secret.txt"), "not an artifact");
        try (PnpOperator operator = startOperator(client, volume)) {
            URI base = URI.create("http://127.0.0.1:" + operator.httpPort());
            HttpResponse<byte[]> image = http.send(HttpRequest.newBuilder(base.resolve("/artifacts/images/c1100.bin"))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(image.statusCode()).isEqualTo(200);
            assertThat(image.body()).containsExactly(1, 2, 3);
            for (String path : new String[] {"/artifacts/images/../secret.txt", "/artifacts/images/%2e%2e%2fsecret.txt",
                "/artifacts/secret.txt", "/artifacts/files/missing.py", "/artifacts/images/"}) {
                assertThat(http.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(404);
            }
            assertThat(http.send(HttpRequest.newBuilder(base.resolve("/artifacts/images/c1100.bin"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        }
    }
}
