package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.endpoint.protocol.Samples;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads: only what the profile names, resumable, cacheable; configs only to their device, in its step. */
class ArtifactServingTest {

    @TempDir
    static Path folder;
    static Lab lab;
    static PnpServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        lab = Lab.create(folder);
        lab.write("files/not-in-profile.txt", "secret");
        lab.write("configs/FGL2548L0AW.cfg", "hostname branch-0042\n");
        server = PnpServer.start(lab);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void imageIsServedWholeWithItsMd5AsETag() throws Exception {
        byte[] image = Files.readAllBytes(lab.path("images/" + Lab.IMAGE));
        HttpResponse<byte[]> whole = get("/images/" + Lab.IMAGE);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(image);
        assertThat(whole.headers().firstValue("ETag")).contains("\"" + md5(image) + "\"");
    }

    @Test
    void interruptedDownloadResumesWithARange() throws Exception {
        byte[] image = Files.readAllBytes(lab.path("images/" + Lab.IMAGE));
        HttpResponse<byte[]> rest = get("/images/" + Lab.IMAGE, "Range", "bytes=1000-");
        assertThat(rest.statusCode()).isEqualTo(206);
        assertThat(rest.headers().firstValue("Content-Range")).contains("bytes 1000-" + (image.length - 1) + "/" + image.length);
        assertThat(rest.body()).isEqualTo(Arrays.copyOfRange(image, 1000, image.length));
    }

    @Test
    void aRangeBeyondTheEndIs416WithoutABody() throws Exception {
        long size = Files.size(lab.path("images/" + Lab.IMAGE));
        HttpResponse<byte[]> beyond = get("/images/" + Lab.IMAGE, "Range", "bytes=" + size + "-");
        assertThat(beyond.statusCode()).isEqualTo(416);
        assertThat(beyond.headers().firstValue("Content-Range")).contains("bytes */" + size);
        assertThat(beyond.body()).isEmpty();
    }

    @Test
    void rangesTheRfcAllowsToIgnoreGetTheWholeFileAndASuffixRangeTheEnd() throws Exception {
        byte[] image = Files.readAllBytes(lab.path("images/" + Lab.IMAGE));
        for (String ignored : new String[] {"bytes=0-9,20-29", "lines=1-2", "bytes=50-10"}) {
            HttpResponse<byte[]> whole = get("/images/" + Lab.IMAGE, "Range", ignored);
            assertThat(whole.statusCode()).as(ignored).isEqualTo(200);
            assertThat(whole.body()).as(ignored).isEqualTo(image);
        }
        HttpResponse<byte[]> tail = get("/images/" + Lab.IMAGE, "Range", "bytes=-100");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(image, image.length - 100, image.length));
        HttpResponse<byte[]> stale = get("/images/" + Lab.IMAGE, "Range", "bytes=1000-", "If-Range", "\"other\"");
        assertThat(stale.statusCode()).as("If-Range naming another version: the whole file").isEqualTo(200);
    }

    @Test
    void unchangedImageIsNotSentAgain() throws Exception {
        String etag = get("/images/" + Lab.IMAGE).headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = get("/images/" + Lab.IMAGE, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
    }

    @Test
    void onlyFilesTheProfileNamesCanBeDownloaded() throws Exception {
        assertThat(get("/files/" + Lab.SCRIPT).statusCode()).isEqualTo(200);
        assertThat(get("/files/not-in-profile.txt").statusCode()).isEqualTo(404);
        assertThat(get("/images/" + Lab.SCRIPT).statusCode()).as("a file is not an image").isEqualTo(404);
        assertThat(get("/files/").statusCode()).as("no listing").isEqualTo(404);
        assertThat(get("/images/").statusCode()).as("no listing").isEqualTo(404);
    }

    @Test
    void pathTricksReachNothing() throws Exception {
        for (String path : new String[] {"/files/..%2Fpnp-profile.yaml", "/files/%2e%2e/pnp-profile.yaml",
                "/files/../pnp-profile.yaml", "/configs/../pnp-profile.yaml", "/images/..%5Cpnp-profile.yaml",
                "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd"}) {
            HttpResponse<byte[]> answer = get(path);
            assertThat(answer.statusCode()).as(path).isIn(400, 404);
            assertThat(new String(answer.body())).as(path).doesNotContain("PnpProfile", "root:");
        }
    }

    @Test
    void dayZeroConfigGoesOnceToItsDeviceAtItsAddressWhileItIsInConfigStart() throws Exception {
        String serial = "FGL2548L0AW";
        // Move the device to CONFIG_START, then ask for work: the config-upgrade request carries the URL.
        assertThat(server.post("/pnp/WORK-REQUEST", Samples.bytes("device-work-request-factory-reset.xml")).statusCode()).isEqualTo(200);
        assertThat(server.putStep(serial, "{\"step\":\"CONFIG_START\"}").statusCode()).isEqualTo(200);
        URI config = configUrl(server.post("/pnp/WORK-REQUEST", Samples.bytes("device-work-request-factory-reset.xml"))
                .body());
        assertThat(config.getPath()).matches("/configs/[0-9a-f]{64}/FGL2548L0AW\\.cfg");
        String secret = config.getPath().split("/")[2];
        assertThat(server.device(serial).toString()).as("the secret is in no status").doesNotContain(secret);

        assertThat(server.sendFrom("127.0.0.2", "GET", config.getPath(), new byte[0])).as("from another address").startsWith("HTTP/1.1 404");
        assertThat(get("/configs/FGL2548L0AW.cfg").statusCode()).as("guessing the old URL").isEqualTo(404);
        assertThat(get(config.getPath().replaceFirst("/configs/[0-9a-f]", "/configs/x")).statusCode())
                .as("a wrong secret").isEqualTo(404);
        assertThat(get(config.getPath().toLowerCase()).statusCode()).as("the serial in lower case is the same device, "
                + "and the URL still unused").isEqualTo(200);
        assertThat(get(config.getPath()).statusCode()).as("once only").isEqualTo(404);

        URI another = configUrl(server.post("/pnp/WORK-REQUEST", Samples.bytes("device-work-request-factory-reset.xml"))
                .body());
        assertThat(another).as("a new request, a new secret").isNotEqualTo(config);
        assertThat(server.putStep(serial, "{\"step\":\"CONFIG_SAVE_STARTUP\"}").statusCode()).isEqualTo(200);
        assertThat(get(another.getPath()).statusCode()).as("after the config step").isEqualTo(404);
    }

    private static URI configUrl(String request) {
        Matcher url = Pattern.compile("<location>(http[^<]+\\.cfg)</location>").matcher(request);
        assertThat(url.find()).as(request).isTrue();
        return URI.create(url.group(1));
    }


    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.deviceUrl() + path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String md5(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    }
}
