package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pnpoperator.sim.PnpAgent;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile with {@code identity: sudi}: before anything is sent to a router, it signs a fresh challenge with its
 * SUDI key and sends its SUDI certificate, which must chain to the server's trust bundle and name the router's
 * serial. The trust bundle here is a CA of the tests' own ({@link TestSudi}), standing in for Cisco's; the
 * simulated routers sign as the schema describes. This has not been tried with a real router's SUDI.
 */
class SudiProofTest {

    static final String PID = "C1131-8PWB";

    @TempDir
    static Path folder;
    static TestSudi cisco;
    static PnpServer server;

    @BeforeAll
    static void start() throws Exception {
        cisco = TestSudi.authority(folder.resolve("ca"), "Test SUDI Root CA");
        Lab lab = Lab.create(folder.resolve("lab"));
        lab.write("pnp-profile.yaml", Lab.PROFILE + "  identity: sudi\n");
        server = PnpServer.start(lab, "--pnp.security.sudi-trust-bundle=" + cisco.bundle());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRouterWhoseSudiTheBundleVouchesForIsProvisionedAndTheProofIsKept() throws Exception {
        PnpAgent router = router("FGL0000SUD1", cisco.issue(PID, "FGL0000SUD1"));
        assertThat(Routers.run(router, 60).finished()).isTrue();

        JsonNode device = server.device("FGL0000SUD1");
        assertThat(device.get("provenAs").asText()).isEqualTo("PID:C1131-8PWB SN:FGL0000SUD1");
        assertThat(device.get("history").get(0).get("work").asText()).as("the proof first").isEqualTo("device-auth");
        assertThat(router.router().executed()).containsEntry("device-auth", 1);
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedAndTheRouterGetsNothing() throws Exception {
        TestSudi impostor = TestSudi.authority(folder.resolve("impostor"), "Not Cisco");
        assertRefused("FGL0000SUD2", impostor.issue(PID, "FGL0000SUD2"), "SUDI proof refused: its SUDI certificate "
                + "(PID:C1131-8PWB SN:FGL0000SUD2, issued by CN=Not Cisco, O=pnp-operator tests) is not vouched for "
                + "by the trust bundle");
    }

    @Test
    void aGenuineCertificateOfAnotherRouterIsRefused() throws Exception {
        assertRefused("FGL0000SUD3", cisco.issue(PID, "FGL0000OTHR"), "SUDI proof refused: its SUDI certificate is "
                + "for SN FGL0000OTHR, not FGL0000SUD3");
    }

    @Test
    void aRouterWithoutASudiIsRefused() throws Exception {
        assertRefused("FGL0000SUD4", null, "SUDI proof refused: PnP Service Error 3407: SUDI certificate retrieval "
                + "failed");
    }

    /** The router fails its proof at every try, ends Failed with why, and was asked for nothing else. */
    private void assertRefused(String serial, TestSudi.Device sudi, String reason) {
        PnpAgent router = router(serial, sudi);
        PnpAgent.Result result = Routers.run(router, 60);
        assertThat(result.finished()).isFalse();
        JsonNode device = server.device(serial);
        assertThat(device.get("phase").asText()).isEqualTo("Failed");
        assertThat(device.get("lastError").asText()).startsWith(reason);
        assertThat(device.get("provenAs").isNull() || device.get("provenAs").isMissingNode()).isTrue();
        assertThat(router.router().executed()).as("asked for its proof, and to wait").containsOnlyKeys("device-auth",
                "backoff");
        assertThat(router.router().runningConfig()).as("no config").isEmpty();
    }

    private static PnpAgent router(String serial, TestSudi.Device sudi) {
        PnpAgent router = Routers.router(serial, server.deviceUrl(), Routers.FAST);
        if (sudi != null) {
            router.router().giveSudi(sudi.key(), sudi.certificatePem());
        }
        return router;
    }
}
