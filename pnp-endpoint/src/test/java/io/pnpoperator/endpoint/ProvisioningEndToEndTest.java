package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.Fleet;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The standalone server on real ports, driven by simulated ISR1k routers over HTTP. */
@ExtendWith(OutputCaptureExtension.class)
class ProvisioningEndToEndTest {

    static final DeviceOptions ROUTER = Routers.FAST;

    @TempDir
    Path folder;
    Lab lab;
    PnpServer server;

    @BeforeEach
    void startServer() {
        lab = Lab.create(folder);
        server = PnpServer.start(lab);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void blankRouterIsUpgradedConfiguredAndFinishedWithNoOneTouchingIt() throws Exception {
        PnpAgent agent = agent("FGL2548L0AW", ROUTER);
        PnpAgent.Result result = agent.run(Instant.now().plusSeconds(60));

        assertThat(result.finished()).as(result.toString()).isTrue();
        SimulatedRouter router = agent.router();
        assertThat(router.version()).isEqualTo(Lab.TARGET_VERSION);
        assertThat(router.configRegister()).isEqualTo("0x2102");
        assertThat(router.startupSaved()).isTrue();
        assertThat(router.runningConfig()).contains("event manager applet InstallGuestShell");
        assertThat(router.bootflash()).containsKeys("bootflash:" + Lab.IMAGE, "bootflash:" + Lab.PACKAGE,
                "bootflash:guest-share/" + Lab.SCRIPT);
        assertThat(router.guestshell()).isEqualTo("RUNNING");
        assertThat(router.scriptRuns()).isEqualTo(1);
        assertThat(router.refused()).as("a strict agent found nothing outside Cisco's schemas").isEmpty();

        JsonNode device = server.device("FGL2548L0AW");
        assertThat(device.get("phase").asText()).isEqualTo("Provisioned");
        assertThat(device.get("step").asText()).isEqualTo("FINISHED");
        assertThat(device.get("version").asText()).as("as the router reports it, bare").isEqualTo("17.14.1a");
        assertThat(device.get("configApplied").asBoolean()).isTrue();
        assertThat(device.get("scriptRan").asBoolean()).isTrue();
        assertThat(device.get("attempts").asInt()).isZero();
        assertThat(steps(device)).as("the guestshell seen as none (the applet's wait), DEPLOYED, ACTIVATED, RUNNING")
                .isEqualTo(Routers.FULL_PATH);

        String metrics = server.metrics();
        assertThat(metrics).contains("pnp_work_requests_total{application=\"pnp-endpoint\",work=\"image-install\"} 1.0");
        assertThat(metrics).contains("pnp_work_responses_total{application=\"pnp-endpoint\",result=\"success\","
                + "work=\"cli-config\"} 1.0");
        assertThat(metrics).contains("pnp_devices{application=\"pnp-endpoint\",phase=\"Provisioned\"} 1.0");
        assertThat(metrics).contains("pnp_provisioning_duration_seconds_count{application=\"pnp-endpoint\"} 1");
        assertThat(PnpServer.metricValue(metrics, "pnp_artifact_bytes_sent_total")).isGreaterThan(Lab.IMAGE_BYTES);
    }

    @Test
    void aProvisionedRouterIsProvisionedAgainWhenAPersonAsksTheAdminApi() throws Exception {
        PnpAgent agent = agent("FGL0000AGN1", ROUTER);
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();

        assertThat(server.reprovision("FGL0000AGN1", "{\"step\":\"NOWHERE\"}").statusCode()).isEqualTo(400);
        assertThat(server.reprovision("FGL0000NONE", "").statusCode()).isEqualTo(404);
        assertThat(server.device("FGL0000AGN1").get("phase").asText()).as("nothing changed").isEqualTo("Provisioned");

        HttpResponse<String> again = server.reprovision("FGL0000AGN1", "");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(PnpServer.json(again.body()).get("step").asText()).isEqualTo("NEW_DEVICE");
        assertThat(history(server.device("FGL0000AGN1"))).last().satisfies(t -> {
            assertThat(t.get("from").asText()).isEqualTo("FINISHED");
            assertThat(t.get("work").asText()).isEqualTo("reprovision");
            assertThat(t.get("result").asText()).isEqualTo("admin-api (loopback)");
        });
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).as("provisioned again").isTrue();
        assertThat(agent.router().completed()).containsEntry("config-upgrade", 2);
    }

    @Test
    void routerAlreadyOnTheTargetVersionSkipsTheUpgrade() throws Exception {
        PnpAgent agent = agent("FGL0000TGT1", ROUTER.withVersion("17.14.01a"));
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();

        assertThat(agent.router().bootflash()).doesNotContainKey("bootflash:" + Lab.IMAGE);
        JsonNode device = server.device("FGL0000TGT1");
        assertThat(device.get("version").asText()).as("reported bare").isEqualTo("17.14.1a");
        assertThat(steps(device)).contains("CHECK_IMAGE_VER", "UPGRADE_DONE")
                .doesNotContain("UPGRADE_NEEDED", "UPGRADE_INPROGRESS");
    }

    @Test
    void routerReportingTheLongVersionBannerIsUpgradedToo() throws Exception {
        PnpAgent agent = agent("FGL0000LNG1", ROUTER.withLongVersionString());
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        assertThat(server.device("FGL0000LNG1").get("version").asText()).isEqualTo("17.14.01a");
        assertThat(agent.router().completed()).containsEntry("image-install", 1);
    }

    @Test
    void routerWithLowBootflashWaitsUntilUnblockedThenFinishes() throws Exception {
        PnpAgent agent = agent("FGL0000LOW1", ROUTER.withBootflashFree(612_368_384L + Lab.IMAGE_BYTES + 100_000));
        CompletableFuture<PnpAgent.Result> running = Routers.inBackground(agent, 60);

        JsonNode blocked = awaitDevice("FGL0000LOW1", d -> d.get("step").asText().equals("BOOTFLASH_NO_SPACE"));
        assertThat(blocked.get("phase").asText()).isEqualTo("Blocked");
        Routers.awaitMoreContacts(agent, 3);
        assertThat(server.device("FGL0000LOW1").get("step").asText()).as("still blocked after three more contacts")
                .isEqualTo("BOOTFLASH_NO_SPACE");
        assertThat(running).isNotDone();

        assertThat(server.putStep("FGL0000LOW1", "{\"step\":\"RUN_EVENT_MANAGER\"}").statusCode()).isEqualTo(200);

        PnpAgent.Result result = running.get(60, TimeUnit.SECONDS);
        assertThat(result.finished()).as(result.toString()).isTrue();
        JsonNode device = server.device("FGL0000LOW1");
        assertThat(device.get("phase").asText()).isEqualTo("Provisioned");
        assertThat(history(device)).anySatisfy(t -> {
            assertThat(t.get("from").asText()).isEqualTo("BOOTFLASH_NO_SPACE");
            assertThat(t.get("to").asText()).isEqualTo("RUN_EVENT_MANAGER");
            assertThat(t.get("work").asText()).isEqualTo("operator");
            assertThat(t.get("result").asText()).as("who moved it").isEqualTo("admin-api (loopback)");
        });
        assertThat(server.putStep("FGL0000LOW1", "{\"step\":\"CONFIG_START\"}").body()).as("provisioned: no more moves")
                .contains("the router is provisioned: a step edit cannot send it back");
    }

    @Test
    void routerFailingTheImageChecksumIsRetriedThenMarkedFailed() throws Exception {
        PnpAgent agent = agent("FGL0000BAD1", ROUTER.withCorruptImage());
        PnpAgent.Result result = agent.run(Instant.now().plusSeconds(60));

        assertThat(result.finished()).isFalse();
        assertThat(result.reason()).startsWith("provisioning failed at UPGRADE_INPROGRESS: PnP Service Error 1816: "
                + "Error verifying checksum for Image");
        JsonNode device = server.device("FGL0000BAD1");
        assertThat(device.get("phase").asText()).isEqualTo("Failed");
        assertThat(device.get("step").asText()).isEqualTo("UPGRADE_INPROGRESS");
        assertThat(device.get("attempts").asInt()).isEqualTo(3);
        assertThat(device.get("lastError").asText()).isEqualTo("PnP Service Error 1816: Error verifying checksum for Image");
        assertThat(history(device)).filteredOn(t -> t.get("result").asText().equals("failure")).hasSize(3);
        assertThat(agent.router().version()).as("never reloaded into a damaged image").isEqualTo("17.06.01a");
    }

    /** The fleet's metrics after one router finished and one failed its image checksum: by step, failures by step. */
    @Test
    void fleetMetricsCountDevicesByStepAndFailuresByStep() throws Exception {
        assertThat(agent("FGL0000GOOD", ROUTER).run(Instant.now().plusSeconds(60)).finished()).isTrue();
        assertThat(agent("FGL0000BAD2", ROUTER.withCorruptImage()).run(Instant.now().plusSeconds(60)).finished()).isFalse();
        String metrics = server.metrics(); // the first scrape: device counts are taken now
        assertThat(metrics).contains("pnp_step_failures_total{application=\"pnp-endpoint\",step=\"UPGRADE_INPROGRESS\"} 3.0")
                .contains("pnp_devices_in_step{application=\"pnp-endpoint\",step=\"UPGRADE_INPROGRESS\"} 1.0")
                .contains("pnp_devices_in_step{application=\"pnp-endpoint\",step=\"FINISHED\"} 1.0")
                .contains("pnp_devices{application=\"pnp-endpoint\",phase=\"Failed\"} 1.0")
                .contains("http_server_requests_seconds_bucket{");
    }

    @Test
    void routerAnsweringFaultsIsRetriedThenMarkedFailedWithTheFault() throws Exception {
        PnpAgent agent = agent("FGL0000FLT1", ROUTER.withFaultOn(java.util.Set.of("cli-config")));
        PnpAgent.Result result = agent.run(Instant.now().plusSeconds(60));

        assertThat(result.reason()).startsWith("provisioning failed at NEW_DEVICE: XSVC:Client: An unknown XML tag has "
                + "been received");
        JsonNode device = server.device("FGL0000FLT1");
        assertThat(device.get("phase").asText()).isEqualTo("Failed");
        assertThat(device.get("step").asText()).isEqualTo("NEW_DEVICE");
        assertThat(history(device)).extracting(t -> t.get("result").asText()).containsExactly("fault", "fault", "fault");
        assertThat(agent.router().executed()).containsEntry("cli-config", 3);
    }

    @Test
    void aSlowGuestshellThatTakesFiveChecksFinishesWithoutAFailedAttempt() throws Exception {
        PnpAgent agent = agent("FGL0000SLW1", ROUTER.withGuestshell(ROUTER.guestshell().withChecks(5)));
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();

        JsonNode device = server.device("FGL0000SLW1");
        assertThat(history(device)).noneSatisfy(t -> assertThat(t.get("result").asText()).isIn("failure", "fault"))
                .filteredOn(t -> t.get("to").asText().equals("CHECK_GUESTSHELL")).hasSize(6);
        assertThat(agent.router().executed()).as("write memory twice, verify twice, the applet, six checks, the script")
                .containsEntry("cli-exec", 12);
    }

    @Test
    void aRouterListingOnlyOtherAppsGetsTheGuestshellInstalledOnceTheStartBudgetRunsOut() throws Exception {
        server.close();
        lab.write("pnp-profile.yaml", Lab.PROFILE.replace("minFreeBytes: 1026107392",
                "minFreeBytes: 1026107392\n    startTimeoutSeconds: 1"));
        server = PnpServer.start(lab);
        DeviceOptions noBundledGuestshell = ROUTER.withGuestshell(ROUTER.guestshell().withBundled(false)
                .withOtherApps(Map.of("utd", "RUNNING", "syslogng", "DEPLOYED")));
        PnpAgent agent = agent("FGL0000OTH1", noBundledGuestshell);
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();

        assertThat(steps(server.device("FGL0000OTH1"))).containsSubsequence("RUN_EVENT_MANAGER", "CHECK_GUESTSHELL",
                "INSTALL_GUESTSHELL", "WAIT_FOR_GUESTSHELL", "CHECK_GUESTSHELL", "ENABLE_GUESTSHELL",
                "WAIT_FOR_GUESTSHELL", "CHECK_GUESTSHELL", "RUN_PY_SCRIPT", "FINISHED");
        assertThat(agent.router().completed()).containsEntry("file-transfer", 2);
        assertThat(agent.router().scriptRuns()).isEqualTo(1);
    }

    @Test
    void aDamagedFileCopyIsFoundByVerifyMd5AndRetriedThenFailed() throws Exception {
        PnpAgent agent = agent("FGL0000MD51", ROUTER.withCorruptFiles());
        PnpAgent.Result result = agent.run(Instant.now().plusSeconds(60));

        assertThat(result.finished()).isFalse();
        JsonNode device = server.device("FGL0000MD51");
        assertThat(device.get("phase").asText()).isEqualTo("Failed");
        assertThat(device.get("step").asText()).isEqualTo("GS_TARBALL_VERIFY");
        assertThat(device.get("lastError").asText()).startsWith("bootflash:" + Lab.PACKAGE + " has MD5 ")
                .endsWith(": copying it again");
        assertThat(agent.router().completed()).containsEntry("file-transfer", 3);
    }

    @Test
    void aRouterThatAsksForCredentialsGetsThemFromTheSecretBesideTheProfile(CapturedOutput output) throws Exception {
        server.close();
        lab.write("pnp-profile.yaml", Lab.PROFILE + "  credentialsSecret: lab-login\n");
        lab.write("lab-login.yaml", """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: lab-login
                type: kubernetes.io/basic-auth
                stringData:
                  username: pnp
                  password: s3cret
                """);
        server = PnpServer.start(lab, "--logging.level.io.pnpoperator=DEBUG");
        PnpAgent agent = agent("FGL0000AUT1", ROUTER.withCredentials("pnp:s3cret"));
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        assertThat(agent.router().refused()).isEmpty();
        assertThat(output.getAll()).as("the password is never logged").contains("profile 'lab' loaded")
                .doesNotContain("s3cret");
        assertThat(output.getAll()).as("a line a transition").contains("FGL0000AUT1 NEW_DEVICE → CONFIG_REG (cli-config "
                + "success)", "FGL0000AUT1 RUN_PY_SCRIPT → FINISHED (cli-exec success)");
        assertThat(server.device("FGL0000AUT1").toString()).doesNotContain("s3cret");
    }

    @Test
    void repeatedResponsesOfATimedOutRouterNeverApplyAStepTwice() throws Exception {
        PnpAgent agent = agent("FGL0000REP1", ROUTER.withRepeatResponses());
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();

        JsonNode device = server.device("FGL0000REP1");
        List<Long> sequences = new ArrayList<>();
        history(device).forEach(t -> sequences.add(t.get("sequence").asLong()));
        assertThat(sequences).isEqualTo(java.util.stream.LongStream.rangeClosed(1, sequences.size()).boxed().toList());
        assertThat(stepsOutsideTheGuestshellWait(device)).doesNotHaveDuplicates();
        assertThat(agent.router().completed()).containsEntry("image-install", 1).containsEntry("file-transfer", 2)
                .containsEntry("config-upgrade", 1).containsEntry("cli-config", 1);
        assertThat(agent.router().scriptRuns()).isEqualTo(1);
    }

    @Test
    void serverRestartInTheMiddleOfTheWorkflowLosesNothing() throws Exception {
        PnpAgent agent = agent("FGL0000RST1", ROUTER.withSpeed(200));
        CompletableFuture<PnpAgent.Result> running = Routers.inBackground(agent, 90);
        JsonNode before = awaitDevice("FGL0000RST1", d -> d.get("step").asText().startsWith("UPGRADE_RELOAD"));

        server.restart();

        PnpAgent.Result result = running.get(90, TimeUnit.SECONDS);
        assertThat(result.finished()).as(result.toString()).isTrue();
        JsonNode after = server.device("FGL0000RST1");
        assertThat(after.get("firstSeen").asText()).isEqualTo(before.get("firstSeen").asText());
        assertThat(history(after).subList(0, history(before).size())).isEqualTo(history(before));
        assertThat(stepsOutsideTheGuestshellWait(after)).doesNotHaveDuplicates().endsWith("FINISHED");
        assertThat(agent.router().scriptRuns()).isEqualTo(1);
    }

    @Test
    void twoHundredRoutersAtOnceAllFinish() throws Exception {
        // The routers all call from 127.0.0.1, as a staging bench behind one NAT address would: the limits per
        // address are raised for them, as docs/configuration.md says to.
        server.close();
        server = PnpServer.start(lab, "--pnp.limits.requests-per-address=200",
                "--pnp.limits.registrations-per-minute=200");
        Fleet.Summary summary = Fleet.run(server.deviceUrl(), 200, 200, "FLEET", ROUTER, Duration.ofSeconds(120));
        System.out.print(summary.print());

        assertThat(summary.finished()).as(summary.print()).isEqualTo(200);
        assertThat(summary.results()).allSatisfy(r -> assertThat(r.refused()).as(r.serial()).isZero());
        assertThat(summary.httpErrors()).as(summary.print()).isZero();
        JsonNode devices = server.devices();
        assertThat(devices).hasSize(200).allSatisfy(d -> assertThat(d.get("phase").asText()).isEqualTo("Provisioned"));
        assertThat(server.metrics()).contains("pnp_devices{application=\"pnp-endpoint\",phase=\"Provisioned\"} 200.0");
    }

    @Test
    void anImageReplacedWhileTheServerRunsIsOfferedWithItsNewMd5AndAMissingOneHoldsRouters() throws Exception {
        byte[] newer = new byte[Lab.IMAGE_BYTES + 1000];
        new Random(99).nextBytes(newer);
        Files.write(lab.path("images/" + Lab.IMAGE), newer);
        PnpAgent first = agent("FGL0000NEW1", ROUTER);
        assertThat(first.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        assertThat(server.device("FGL0000NEW1").get("history").toString()).as("no failed copy")
                .doesNotContain("failure");
        assertThat(first.router().bootflash().get("bootflash:" + Lab.IMAGE)).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("MD5").digest(newer)));

        Path kept = lab.path("kept.bin");
        Files.move(lab.path("images/" + Lab.IMAGE), kept);
        PnpAgent second = agent("FGL0000NEW2", ROUTER);
        CompletableFuture<PnpAgent.Result> running = Routers.inBackground(second, 60);
        JsonNode held = awaitDevice("FGL0000NEW2", d -> d.get("phase").asText().equals("Pending"));
        assertThat(held.get("lastError").asText()).isEqualTo("profile lab: images/" + Lab.IMAGE + " is missing from "
                + lab.path("images") + ": devices that need it wait until it is back");
        Routers.awaitMoreContacts(second, 1);
        assertThat(second.router().executed()).as("no download offered that would 404").containsOnlyKeys("backoff");

        Files.move(kept, lab.path("images/" + Lab.IMAGE));
        assertThat(running.get(60, TimeUnit.SECONDS).finished()).isTrue();
    }

    private PnpAgent agent(String serial, DeviceOptions options) {
        return Routers.router(serial, server.deviceUrl(), options);
    }

    private JsonNode awaitDevice(String serial, Predicate<JsonNode> condition) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            JsonNode device = server.device(serial);
            if (device != null && condition.test(device)) {
                return device;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("device " + serial + " never reached the expected state: " + server.device(serial));
    }

    static List<JsonNode> history(JsonNode device) {
        List<JsonNode> entries = new ArrayList<>();
        device.get("history").forEach(entries::add);
        return entries;
    }

    /** The steps a device went through but the guestshell's checks, which repeat by design while it starts. */
    static List<String> stepsOutsideTheGuestshellWait(JsonNode device) {
        return steps(device).stream().filter(s -> !s.equals("WAIT_FOR_GUESTSHELL") && !s.equals("CHECK_GUESTSHELL"))
                .toList();
    }

    /** The steps a device went through, in order: the first step, then each transition's target. */
    static List<String> steps(JsonNode device) {
        List<String> steps = new ArrayList<>();
        for (JsonNode t : history(device)) {
            if (steps.isEmpty()) {
                steps.add(t.get("from").asText());
            }
            if (!t.get("to").asText().equals(steps.get(steps.size() - 1))) {
                steps.add(t.get("to").asText());
            }
        }
        return steps;
    }
}
