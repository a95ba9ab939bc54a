package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.endpoint.protocol.Samples;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard as a person sees it: rendered by headless Chromium, after its script has run. */
class DashboardPageTest {

    @TempDir
    static Path folder;
    static PnpServer server;

    @BeforeAll
    static void start() {
        server = PnpServer.start(Lab.create(folder));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void pageListsDevicesWithTheirStepAndShowsDeviceTextAsTextOnly() throws Exception {
        String hostileHostname = "<img src=x onerror=alert(1)>";
        String workRequest = new String(Samples.bytes("device-work-request-factory-reset.xml"), StandardCharsets.UTF_8)
                .replace("<hostname>Router</hostname>", "<hostname>" + hostileHostname.replace("<", "&lt;") + "</hostname>");
        assertThat(server.post("/pnp/WORK-REQUEST", workRequest.getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(200);
        server.putStep("FGL2548L0AW", "{\"step\":\"BOOTFLASH_NO_SPACE\"}");

        String dom = renderedDom(server.adminUrl() + "/dashboard", folder.resolve("chromium"));

        assertThat(dom).contains("<tr data-serial=\"FGL2548L0AW\">");
        assertThat(dom).contains("<td>C1131-8PWB</td>", "<td>127.0.0.1</td>", "<td class=\"phase-Blocked\">Blocked</td>",
                "<td>BOOTFLASH_NO_SPACE</td>");
        assertThat(dom).contains("1 devices — 1 Blocked");
        assertThat(dom).contains("<td>&lt;img src=x onerror=alert(1)&gt;</td>").doesNotContain("<img src=\"x\"");
    }

    @Test
    void pageRefreshesItselfEveryFiveSeconds() throws IOException {
        String page = server.get(server.adminUrl(), "/dashboard").body();
        assertThat(page).contains("setInterval(refresh, 5000)");
    }

    /** Chromium runs the page's script (virtual time lets its fetch finish) and prints the resulting DOM. */
    static String renderedDom(String url, Path profileDir) throws IOException, InterruptedException {
        Files.createDirectories(profileDir);
        Process chromium = new ProcessBuilder(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profileDir, "--virtual-time-budget=3000", "--dump-dom", url))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = chromium.getInputStream().readAllBytes();
        assertThat(chromium.waitFor(60, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(chromium.exitValue()).as("chromium exit code").isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
