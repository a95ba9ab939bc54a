package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pnpoperator.endpoint.protocol.Samples;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input gets a precise answer and changes nothing: a known device, caught in the
 * middle of its workflow, is byte-for-byte the same before and after.
 */
class BadInputTest {

    static final String SERIAL = "FGL2548L0AW";

    @TempDir
    static Path folder;
    static PnpServer server;
    JsonNode before;

    @BeforeAll
    static void start() {
        server = PnpServer.start(Lab.create(folder));
        assertThat(server.post("/pnp/WORK-REQUEST", Samples.bytes("device-work-request-factory-reset.xml")).statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void remember() {
        before = server.device(SERIAL);
        assertThat(before.get("step").asText()).isEqualTo("NEW_DEVICE");
    }

    void assertNothingChanged() {
        assertThat(server.device(SERIAL)).isEqualTo(before);
        assertThat(server.devices()).hasSize(1);
    }

    @Test
    void malformedXmlIsRefusedWithTheParsersReason() {
        HttpResponse<String> answer = post("/pnp/WORK-RESPONSE", "<pnp xmlns=\"urn:cisco:pnp\" udi=\"SN:" + SERIAL + "\"><resp");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).startsWith("malformed XML: ");
        assertNothingChanged();
    }

    @Test
    void doctypeAndEntitiesAreRefused() {
        HttpResponse<String> answer = post("/pnp/WORK-REQUEST", "<?xml version=\"1.0\"?><!DOCTYPE pnp [<!ENTITY x SYSTEM "
                + "\"file:///etc/passwd\">]><pnp xmlns=\"urn:cisco:pnp\" udi=\"SN:" + SERIAL + "\"><info "
                + "xmlns=\"urn:cisco:pnp:work-info\" correlator=\"&x;\"/></pnp>");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("DOCTYPE declarations are not accepted\n");
        assertNothingChanged();
    }

    @Test
    void oversizedBodyIsRefusedWith413() {
        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        HttpResponse<String> answer = server.post("/pnp/WORK-REQUEST", big);
        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(answer.body()).isEqualTo("body of 1048577 bytes is over the limit of 1048576 bytes\n");
        assertNothingChanged();
    }

    @Test
    void responseSentToTheRequestPathIsRefused() {
        HttpResponse<String> answer = server.post("/pnp/WORK-REQUEST", Samples.bytes("device-cli-config-response.xml"));
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).isEqualTo("/pnp/WORK-REQUEST takes a work-info <info> message\n");
        assertNothingChanged();
    }

    @Test
    void unknownServiceNamespaceIsRefused() {
        HttpResponse<String> answer = post("/pnp/WORK-RESPONSE", "<pnp xmlns=\"urn:cisco:pnp\" udi=\"SN:" + SERIAL
                + "\"><response xmlns=\"urn:cisco:pnp:teleport\" correlator=\"c\" success=\"1\"/></pnp>");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("unknown service namespace 'urn:cisco:pnp:teleport'");
        assertNothingChanged();
    }

    @Test
    void responseFromAnUnknownDeviceIsAnsweredByeAndRegistersNothing() {
        HttpResponse<String> answer = post("/pnp/WORK-RESPONSE", "<pnp xmlns=\"urn:cisco:pnp\" udi=\"PID:X,VID:V,SN:NOBODY1\">"
                + "<response xmlns=\"urn:cisco:pnp:cli-exec\" correlator=\"c-1\" success=\"1\"/></pnp>");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("<bye/>");
        assertThat(server.device("NOBODY1")).isNull();
        assertNothingChanged();
    }

    @Test
    void responseToNothingThatWasAskedChangesNothing() {
        HttpResponse<String> answer = server.post("/pnp/WORK-RESPONSE", Samples.bytes("device-info-bare-version.xml"));
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode after = server.device(SERIAL);
        assertThat(after.get("step")).isEqualTo(before.get("step"));
        assertThat(after.get("history")).isEqualTo(before.get("history"));
        assertThat(after.get("version")).isEqualTo(before.get("version"));
    }

    @Test
    void devicePortAnswersNothingButPnpAndDownloads() {
        assertThat(server.get(server.deviceUrl(), "/api/devices").statusCode()).isEqualTo(404);
        assertThat(server.get(server.deviceUrl(), "/dashboard").statusCode()).isEqualTo(404);
        assertThat(server.get(server.deviceUrl(), "/actuator/prometheus").statusCode()).isEqualTo(404);
        assertThat(server.get(server.adminUrl(), "/pnp/HELLO").statusCode()).isEqualTo(404);
        assertThat(server.get(server.deviceUrl(), "/pnp/HELLO").statusCode()).isEqualTo(200);
    }

    @Test
    void unknownStepIsRefusedWithTheListOfValidSteps() {
        HttpResponse<String> answer = server.putStep(SERIAL, "{\"step\":\"RUN_EVERYTHING\"}");
        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode error = PnpServer.json(answer.body());
        assertThat(error.get("error").asText()).isEqualTo("unknown step 'RUN_EVERYTHING'");
        assertThat(error.get("validSteps")).hasSize(io.pnpoperator.endpoint.workflow.Step.values().length);
        assertThat(error.get("validSteps").toString()).contains("\"RUN_EVENT_MANAGER\"", "\"BOOTFLASH_NO_SPACE\"");
        assertThat(server.putStep(SERIAL, "{\"stage\":\"FINISHED\"}").statusCode()).isEqualTo(400);
        assertThat(server.putStep(SERIAL, "not json").statusCode()).isEqualTo(400);
        assertNothingChanged();
    }

    @Test
    void unknownDeviceIs404() {
        HttpResponse<String> answer = server.putStep("FOC0000NONE", "{\"step\":\"FINISHED\"}");
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(PnpServer.json(answer.body()).get("error").asText()).isEqualTo("no device with serial FOC0000NONE");
        assertThat(server.get(server.adminUrl(), "/api/devices/FOC0000NONE").statusCode()).isEqualTo(404);
        assertNothingChanged();
    }

    @Test
    void bodiesThatSayTheyAreNotXmlAreRefusedUnreadWith415() throws Exception {
        for (String type : new String[] {"multipart/form-data; boundary=x", "application/json",
                "application/x-www-form-urlencoded"}) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.deviceUrl()
                            .resolve("/pnp/WORK-REQUEST")).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("--x\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n"
                            + "<pnp/>\r\n--x--\r\n")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(type).isEqualTo(415);
            assertThat(answer.body()).isEqualTo("Content-Type '" + type + "' is not accepted: PnP messages are "
                    + "text/xml\n");
        }
        assertNothingChanged();
    }

    @Test
    void aCorrelatorLongerThanTheStoreKeepsIsRefusedByName() {
        HttpResponse<String> answer = post("/pnp/WORK-REQUEST", "<pnp xmlns=\"urn:cisco:pnp\" udi=\"SN:" + SERIAL
                + "\"><info xmlns=\"urn:cisco:pnp:work-info\" correlator=\"" + "c".repeat(300) + "\"/></pnp>");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).startsWith("correlator is 300 characters long, over the limit of 255");
        assertNothingChanged();
    }

    @Test
    void aWrongMethodIsRefusedWithItsReasonAndNothingInternal() {
        HttpResponse<String> answer = server.get(server.deviceUrl(), "/pnp/WORK-REQUEST");
        assertThat(answer.statusCode()).isEqualTo(405);
        assertThat(answer.body()).isEqualTo("method not allowed\n");
        assertNothingChanged();
    }

    private static HttpResponse<String> post(String path, String xml) {
        return server.post(path, xml.getBytes(StandardCharsets.UTF_8));
    }
}
