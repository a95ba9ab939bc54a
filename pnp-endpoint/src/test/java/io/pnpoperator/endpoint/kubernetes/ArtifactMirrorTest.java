package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An endpoint's own copy of the artifacts, filled over HTTP from the operator's volume: a copy is put in place
 * only when its MD5 is the profile's, is not fetched again while it stays so, and is fetched again when changed.
 */
class ArtifactMirrorTest {

    @TempDir
    Path source;
    @TempDir
    Path copy;
    HttpServer operator;
    final AtomicInteger served = new AtomicInteger();
    volatile byte[] damaged;

    @BeforeEach
    void serveTheVolume() throws Exception {
        operator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        operator.createContext("/artifacts/", exchange -> {
            served.incrementAndGet();
            Path file = source.resolve(exchange.getRequestURI().getPath().substring("/artifacts/".length()));
            byte[] body = damaged != null ? damaged : Files.readAllBytes(file);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        operator.start();
    }

    @AfterEach
    void stop() {
        operator.stop(0);
    }

    @Test
    void copiesAreVerifiedPutInPlaceOnceAndRenewedWhenChanged() throws Exception {
        Files.createDirectories(source.resolve("images"));
        byte[] image = "an IOS-XE image".getBytes();
        Files.write(source.resolve("images/c1100.bin"), image);
        List<ClusterProfiles.Wanted> wanted = List.of(new ClusterProfiles.Wanted("images/c1100.bin", md5(image)));
        ArtifactMirror mirror = new ArtifactMirror(() -> wanted, URI.create("http://127.0.0.1:"
                + operator.getAddress().getPort() + "/artifacts/"), copy);

        damaged = "an IOS-XE imagX".getBytes();
        assertThat(mirror.sync()).as("a damaged copy is not put in place").isZero();
        assertThat(copy.resolve("images/c1100.bin")).doesNotExist();
        try (var left = Files.list(copy.resolve("images"))) {
            assertThat(left).as("nor left half-way").isEmpty();
        }

        damaged = null;
        assertThat(mirror.sync()).isEqualTo(1);
        assertThat(copy.resolve("images/c1100.bin")).hasBinaryContent(image);
        int fetched = served.get();
        assertThat(mirror.sync()).as("current: not fetched again").isZero();
        assertThat(served.get()).isEqualTo(fetched);

        Files.writeString(copy.resolve("images/c1100.bin"), "changed under the endpoint");
        assertThat(mirror.sync()).isEqualTo(1);
        assertThat(copy.resolve("images/c1100.bin")).hasBinaryContent(image);
    }

    private static String md5(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    }
}
