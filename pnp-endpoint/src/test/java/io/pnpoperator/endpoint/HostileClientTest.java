package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pnpoperator.sim.PnpAgent;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that knows a router's serial number — it is printed on the box — and speaks PnP: what it tries, on the
 * real server over real HTTP, and what it gets. Only the answer to the request in flight, from the address it was
 * sent to, moves a device; a provisioned device is moved by no report; a device that comes back blank is held for
 * a person instead of being told it is done.
 */
class HostileClientTest {

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
    void forgedFailuresDoNotFailAProvisionedRouter() {
        PnpAgent router = Routers.router("FGL0000FRG1", server.deviceUrl(), Routers.FAST);
        assertThat(Routers.run(router, 60).finished()).isTrue();

        // The forger asks for work in the router's name, and answers the request it got with failures.
        double ignoredBefore = ignored("settled");
        String correlator = "forged-1";
        String asked = workRequest("FGL0000FRG1", correlator, "");
        assertThat(asked).contains("<reason>provisioned</reason>");
        for (int i = 0; i < 4; i++) {
            assertThat(post("/pnp/WORK-RESPONSE", failure("FGL0000FRG1", "backoff", correlator)).statusCode())
                    .isEqualTo(200);
        }
        JsonNode device = server.device("FGL0000FRG1");
        assertThat(device.get("phase").asText()).isEqualTo("Provisioned");
        assertThat(device.get("attempts").asInt()).isZero();
        assertThat(ignored("settled") - ignoredBefore).isEqualTo(4);
    }

    @Test
    void aResponseWithoutCorrelatorOrFromAnotherAddressChangesNothing() throws Exception {
        String serial = "FGL0000FRG2";
        String asked = workRequest(serial, "c-1", "");
        assertThat(asked).contains("config-register 0x2102");
        JsonNode before = server.device(serial);

        assertThat(post("/pnp/WORK-RESPONSE", failure(serial, "cli-config", null)).statusCode()).isEqualTo(200);
        assertThat(server.sendFrom("127.0.0.2", "POST", "/pnp/WORK-RESPONSE", failure(serial, "cli-config", "c-1")
                .getBytes(StandardCharsets.UTF_8))).startsWith("HTTP/1.1 200");

        assertThat(server.device(serial)).isEqualTo(before);
        assertThat(ignored("no-correlator")).isEqualTo(1);
        assertThat(ignored("other-address")).isEqualTo(1);
        assertThat(post("/pnp/WORK-RESPONSE", failure(serial, "cli-config", "c-1")).statusCode()).isEqualTo(200);
        assertThat(server.device(serial).get("attempts").asInt()).as("the answer to the request in flight counts")
                .isEqualTo(1);
    }

    @Test
    void aProvisionedRouterBackInFactoryStateIsHeldForAPerson() {
        PnpAgent router = Routers.router("FGL0000RST1", server.deviceUrl(), Routers.FAST);
        assertThat(Routers.run(router, 60).finished()).isTrue();

        router.router().factoryReset();
        PnpAgent.Result back = Routers.run(router, 30);

        assertThat(back.parked()).isTrue();
        assertThat(back.reason()).startsWith("held: came back without a startup configuration after it was provisioned");
        JsonNode device = server.device("FGL0000RST1");
        assertThat(device.get("phase").asText()).isEqualTo("Held");
        assertThat(device.get("lastError").asText()).endsWith("move it to NEW_DEVICE to provision it again");
        assertThat(router.router().runningConfig()).as("no config was sent again").isEmpty();

        assertThat(server.putStep("FGL0000RST1", "{\"step\":\"NEW_DEVICE\"}").statusCode()).isEqualTo(200);
        assertThat(Routers.run(router, 60).finished()).as("a person's move provisions it again").isTrue();
        assertThat(router.router().runningConfig()).contains("hostname");
    }

    @Test
    void aSerialClaimedBeforeItsRouterArrivesDoesNotTellTheRealRouterItIsDone() {
        // Someone walks the serial through the whole workflow first, answering success to everything.
        PnpAgent impostor = Routers.router("FGL0000CLM1", server.deviceUrl(), Routers.FAST);
        assertThat(Routers.run(impostor, 60).finished()).isTrue();

        PnpAgent real = Routers.router("FGL0000CLM1", server.deviceUrl(), Routers.FAST);
        PnpAgent.Result result = Routers.run(real, 30);
        assertThat(result.finished()).as("not told it is done").isFalse();
        assertThat(result.reason()).startsWith("held: came back without a startup configuration");
        assertThat(server.device("FGL0000CLM1").get("phase").asText()).isEqualTo("Held");
    }

    @Test
    void aReportWithAFieldTooLongToKeepIsACountedFailureNamingIt() {
        String serial = "FGL0000LNG9";
        workRequest(serial, "c-1", "");
        assertThat(server.putStep(serial, "{\"step\":\"CHECK_IMAGE_VER\"}").statusCode()).isEqualTo(200);
        assertThat(workRequest(serial, "c-2", "")).contains("urn:cisco:pnp:device-info");
        HttpResponse<String> answer = post("/pnp/WORK-RESPONSE", "<pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" "
                + "udi=\"PID:C1131-8PWB,VID:V01,SN:" + serial + "\"><response xmlns=\"urn:cisco:pnp:device-info\" "
                + "correlator=\"c-2\" success=\"1\"><imageInfo><versionString>17.14.1a</versionString><imageFile>"
                + "bootflash:" + "x".repeat(300) + ".bin</imageFile></imageInfo></response></pnp>");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("<bye/>");
        JsonNode device = server.device(serial);
        assertThat(device.get("attempts").asInt()).isEqualTo(1);
        assertThat(device.get("lastError").asText()).startsWith("device-info imageFile is 314 characters long, over "
                + "the limit of 255");
    }

    @Test
    void newSerialsFromOneAddressAreRegisteredAtTheConfiguredRateAndNoFaster() {
        try (PnpServer limited = PnpServer.start(Lab.create(folder.resolve("limited")),
                "--pnp.limits.registrations-per-minute=5")) {
            for (int i = 1; i <= 6; i++) {
                HttpResponse<String> answer = limited.post("/pnp/WORK-REQUEST", ("<pnp xmlns=\"urn:cisco:pnp\" "
                        + "version=\"1.0\" udi=\"SN:FAKE" + i + "\"><info xmlns=\"urn:cisco:pnp:work-info\" "
                        + "correlator=\"c\"/></pnp>").getBytes(StandardCharsets.UTF_8));
                assertThat(answer.statusCode()).isEqualTo(200);
                if (i == 6) {
                    assertThat(answer.body()).contains("<reason>not registered: more than 5 new devices a minute "
                            + "from 127.0.0.1 (pnp.limits.registrations-per-minute)</reason>");
                }
            }
            assertThat(limited.devices()).hasSize(5);
            assertThat(limited.device("FAKE6")).as("nothing stored").isNull();
            assertThat(limited.metric("pnp_registrations_refused_total")).isEqualTo(1);
        }
    }

    @Test
    void inClaimModeOnlyTheSerialsListedAreProvisioned() throws Exception {
        Lab lab = Lab.create(folder.resolve("claimed"));
        lab.write("claimed-serials.txt", "# branch routers expected this week\nFGL0000CLM7\n");
        try (PnpServer claiming = PnpServer.start(lab, "--pnp.unknown-devices=reject",
                "--pnp.claimed-serials=" + lab.path("claimed-serials.txt"), "--pnp.limits.max-unclaimed=1")) {
            PnpAgent stranger = Routers.router("FGL0000STR1", claiming.deviceUrl(), Routers.FAST);
            CompletableFuture<PnpAgent.Result> waiting = Routers.inBackground(stranger, 60);
            Routers.awaitMoreContacts(stranger, 2);
            JsonNode unclaimed = claiming.device("FGL0000STR1");
            assertThat(unclaimed.get("phase").asText()).isEqualTo("Unclaimed");
            assertThat(unclaimed.get("lastError").asText()).isEqualTo("not claimed: add FGL0000STR1 to "
                    + lab.path("claimed-serials.txt") + " to provision it");
            assertThat(stranger.router().executed()).as("asked nothing but to wait").containsOnlyKeys("backoff");
            assertThat(claiming.post("/pnp/WORK-REQUEST", ("<pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" "
                    + "udi=\"PID:C1131-8PWB,VID:V01,SN:FGL0000STR2\"><info xmlns=\"urn:cisco:pnp:work-info\" "
                    + "correlator=\"c\"/></pnp>").getBytes(StandardCharsets.UTF_8)).body())
                    .as("a second stranger, beyond pnp.limits.max-unclaimed").contains("not registered: 1 unknown "
                            + "devices already wait for a person (pnp.limits.max-unclaimed)");
            assertThat(claiming.device("FGL0000STR2")).as("nothing stored").isNull();

            assertThat(Routers.run(Routers.router("FGL0000CLM7", claiming.deviceUrl(), Routers.FAST), 60).finished())
                    .as("a listed serial").isTrue();
            lab.write("claimed-serials.txt", "FGL0000CLM7\nfgl0000str1   # claimed later, in lower case\n");
            assertThat(waiting.get(60, TimeUnit.SECONDS).finished()).as("claimed while it waited").isTrue();
        }
    }

    /** {@code pnp_responses_ignored_total} for one reason, as scraped. */
    private static double ignored(String reason) {
        return server.metrics().lines().filter(l -> l.startsWith("pnp_responses_ignored_total{")
                        && l.contains("reason=\"" + reason + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** A work request in the router's name: the server's answer. */
    private static String workRequest(String serial, String correlator, String extra) {
        HttpResponse<String> answer = post("/pnp/WORK-REQUEST", "<pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" udi=\""
                + "PID:C1131-8PWB,VID:V01,SN:" + serial + "\"><info xmlns=\"urn:cisco:pnp:work-info\" correlator=\""
                + correlator + "\"><deviceId><udi>PID:C1131-8PWB,VID:V01,SN:" + serial + "</udi><hostname>Router"
                + "</hostname></deviceId>" + extra + "</info></pnp>");
        assertThat(answer.statusCode()).isEqualTo(200);
        return answer.body();
    }

    private static String failure(String serial, String service, String correlator) {
        return "<pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" udi=\"PID:C1131-8PWB,VID:V01,SN:" + serial + "\">"
                + "<response xmlns=\"urn:cisco:pnp:" + service + "\" success=\"0\""
                + (correlator == null ? "" : " correlator=\"" + correlator + "\"") + "><errorInfo><errorSeverity>ERROR"
                + "</errorSeverity><errorCode>PnP Service Error 1300</errorCode><errorMessage>forged</errorMessage>"
                + "</errorInfo></response></pnp>";
    }

    private static HttpResponse<String> post(String path, String xml) {
        return server.post(path, xml.getBytes(StandardCharsets.UTF_8));
    }
}
