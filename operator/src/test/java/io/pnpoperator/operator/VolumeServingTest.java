package io.pnpoperator.operator;

import static io.pnpoperator.operator.TestProfiles.startOperator;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.WithCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Test
    void probesAndMetricsAnswerWhileEndpointsCopyAnImageSlowly() throws Exception {
        // A 1 GiB image (sparse: the disk is not what is tested), copied by as many endpoints as there are copy
        // threads, none of which reads past the status line: every copy thread is stuck on a full socket.
        Files.createDirectories(volume.resolve("images"));
        try (RandomAccessFile image = new RandomAccessFile(volume.resolve("images/c1100.bin").toFile(), "rw")) {
            image.setLength(1L << 30);
        }
        try (PnpOperator operator = startOperator(client, volume)) {
            List<Socket> readers = new ArrayList<>();
            try {
                for (int i = 0; i < HealthAndMetrics.COPIES; i++) {
                    Socket reader = new Socket("127.0.0.1", operator.httpPort());
                    reader.setSoTimeout(30_000);
                    reader.getOutputStream().write("GET /artifacts/images/c1100.bin HTTP/1.1\r\nHost: operator\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    String status = new BufferedReader(new InputStreamReader(reader.getInputStream(),
                            StandardCharsets.US_ASCII)).readLine();
                    assertThat(status).as("copy " + (i + 1) + " started").isEqualTo("HTTP/1.1 200 OK");
                    readers.add(reader);
                }
                URI base = URI.create("http://127.0.0.1:" + operator.httpPort());
                long asked = System.nanoTime();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/healthz"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                System.out.printf("/healthz answered in %.1f ms beside %d stalled 1 GiB copies%n",
                        (System.nanoTime() - asked) / 1e6, readers.size());
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(http.send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(Duration.ofSeconds(30))
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            } finally {
                for (Socket reader : readers) {
                    reader.close();
                }
            }
        }
    }
}
