package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.endpoint.protocol.Samples;
import io.pnpoperator.sim.PnpAgent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard as a person sees it: rendered by headless Chromium, after its script has run. */
class DashboardPageTest {

    @TempDir
    Path folder;
    PnpServer server;

    @BeforeEach
    void start() {
        server = PnpServer.start(Lab.create(folder));
    }

    @AfterEach
    void stop() {
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
    void aPersonFiltersTheFleetReadsADevicesHistoryAndUnblocksOrReprovisionsItFromThePage() throws Exception {
        PnpAgent provisioned = Routers.router("FGL0000WEB1", server.deviceUrl(), Routers.FAST);
        assertThat(provisioned.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        PnpAgent blocked = Routers.router("FGL0000WEB2", server.deviceUrl(), Routers.FAST.withBootflashFree(
                612_368_384L + Lab.IMAGE_BYTES + 100_000));
        CompletableFuture<PnpAgent.Result> running = Routers.inBackground(blocked, 60);
        while (server.device("FGL0000WEB2") == null
                || !server.device("FGL0000WEB2").get("step").asText().equals("BOOTFLASH_NO_SPACE")) {
            Thread.sleep(20);
        }

        try (Browser browser = Browser.start(folder.resolve("chromium-driven"))) {
            browser.open(server.adminUrl() + "/dashboard");
            browser.waitFor("document.querySelector('tr[data-serial=FGL0000WEB2]')");
            assertThat(browser.texts("tr[data-serial=FGL0000WEB2] td:nth-child(14)")).as("progress")
                    .isEqualTo("16 of 23");

            browser.select("#phase-filter", "Blocked");
            browser.waitFor("!document.querySelector('tr[data-serial=FGL0000WEB1]')");
            assertThat(browser.texts("#devices tr td:first-child")).as("only the blocked one")
                    .isEqualTo("FGL0000WEB2");

            browser.click("tr[data-serial=FGL0000WEB2]");
            browser.waitFor("!document.getElementById('detail').hidden");
            assertThat(browser.texts("#detail-title")).startsWith("FGL0000WEB2 — Blocked, BOOTFLASH_NO_SPACE (16 of 23)");
            assertThat(browser.texts("#history tr:first-child td:nth-child(3)")).as("newest first")
                    .isEqualTo("BOOTFLASH_NO_SPACE");
            assertThat(browser.evaluate("[...document.querySelectorAll('#move-step option')].map(o => o.value)"))
                    .contains("RUN_EVENT_MANAGER").doesNotContain("FINISHED");

            browser.select("#move-step", "RUN_EVENT_MANAGER");
            browser.click("#move");
            browser.waitFor("document.getElementById('action-result').innerText === 'moved to RUN_EVENT_MANAGER'");
            assertThat(running.get(60, TimeUnit.SECONDS).finished()).as("unblocked from the page")
                    .isTrue();

            browser.select("#phase-filter", "Provisioned");
            browser.waitFor("document.querySelector('tr[data-serial=FGL0000WEB1]')");
            browser.click("tr[data-serial=FGL0000WEB1]");
            browser.waitFor("document.getElementById('detail-title').innerText.startsWith('FGL0000WEB1')");
            browser.click("#reprovision");
            browser.waitFor("document.getElementById('action-result').innerText.startsWith('to be provisioned again')");
            assertThat(server.device("FGL0000WEB1").get("step").asText()).isEqualTo("NEW_DEVICE");
            assertThat(ProvisioningEndToEndTest.history(server.device("FGL0000WEB1"))).last()
                    .satisfies(t -> assertThat(t.get("work").asText()).isEqualTo("reprovision"));
        }
    }

    @Test
    void pageRefreshesItselfEveryFiveSeconds() throws IOException {
        String page = server.get(server.adminUrl(), "/dashboard").body();
        assertThat(page).contains("setInterval(refresh, 5000)");
    }

    /** The page as Chromium shows it once its script has loaded the devices: the resulting DOM. */
    static String renderedDom(String url, Path profileDir) throws Exception {
        try (Browser browser = Browser.start(profileDir)) {
            browser.open(url);
            browser.waitFor("document.getElementById('summary').innerText !== 'loading…'");
            return browser.evaluate("document.documentElement.outerHTML");
        }
    }
}
