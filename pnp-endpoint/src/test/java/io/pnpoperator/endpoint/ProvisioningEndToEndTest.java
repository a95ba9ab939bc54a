package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.Fleet;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standalone server on real ports, driven by simulated ISR1k routers over HTTP. */
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

        JsonNode device = server.device("FGL2548L0AW");
        assertThat(device.get("phase").asText()).isEqualTo("Provisioned");
        assertThat(device.get("step").asText()).isEqualTo("FINISHED");
        assertThat(device.get("version").asText()).isEqualTo(Lab.TARGET_VERSION);
        assertThat(device.get("configApplied").asBoolean()).isTrue();
        assertThat(device.get("scriptRan").asBoolean()).isTrue();
        assertThat(steps(device)).containsExactly("NEW_DEVICE", "CONFIG_REG", "CHECK_IMAGE_VER", "UPGRADE_NEEDED",
                "UPGRADE_INPROGRESS", "UPGRADE_RELOAD_NEEDED", "UPGRADE_RELOADING", "UPGRADE_DONE",
                "GS_TARBALL_TRANSFER", "PY_SCRIPT_TRANSFER", "CONFIG_START", "CONFIG_SAVE_STARTUP",
                "CHECK_BOOTFLASH_SIZE", "RUN_EVENT_MANAGER", "WAIT_FOR_GUESTSHELL", "CHECK_GUESTSHELL",
                "RUN_PY_SCRIPT", "FINISHED");

        String metrics = server.metrics();
        assertThat(metrics).contains("pnp_work_requests_total{application=\"pnp-endpoint\",work=\"image-install\"} 1.0");
        assertThat(metrics).contains("pnp_work_responses_total{application=\"pnp-endpoint\",result=\"success\","
                + "work=\"cli-config\"} 1.0");
        assertThat(metrics).contains("pnp_devices{application=\"pnp-endpoint\",phase=\"Provisioned\"} 1.0");
        assertThat(metrics).contains("pnp_provisioning_duration_seconds_count{application=\"pnp-endpoint\"} 1");
        assertThat(PnpServer.metricValue(metrics, "pnp_artifact_bytes_sent_total")).isGreaterThan(Lab.IMAGE_BYTES);
    }

    @Test
    void routerAlreadyOnTheTargetVersionSkipsTheUpgrade() throws Exception {
        PnpAgent agent = agent("FGL0000TGT1", ROUTER.withVersion("17.14.1a"));
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();

        assertThat(agent.router().bootflash()).doesNotContainKey("bootflash:" + Lab.IMAGE);
        assertThat(steps(server.device("FGL0000TGT1"))).contains("CHECK_IMAGE_VER", "UPGRADE_DONE")
                .doesNotContain("UPGRADE_NEEDED", "UPGRADE_INPROGRESS");
    }

    @Test
    void routerWithLowBootflashWaitsUntilUnblockedThenFinishes() throws Exception {
        PnpAgent agent = agent("FGL0000LOW1", ROUTER.withBootflashFree(612_368_384L + Lab.IMAGE_BYTES + 100_000));
        CompletableFuture<PnpAgent.Result> running = Routers.inBackground(agent, 60);

        JsonNode blocked = awaitDevice("FGL0000LOW1", d -> d.get("step").asText().equals("BOOTFLASH_NO_SPACE"));
        assertThat(blocked.get("phase").asText()).isEqualTo("Blocked");
        Thread.sleep(1_000);
        assertThat(server.device("FGL0000LOW1").get("step").asText()).as("still blocked after several contacts")
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
            assertThat(t.get("result").asText()).isEqualTo("operator");
        });
    }

    @Test
    void routerFailingTheImageChecksumIsRetriedThenMarkedFailed() throws Exception {
        PnpAgent agent = agent("FGL0000BAD1", ROUTER.withCorruptImage());
        PnpAgent.Result result = agent.run(Instant.now().plusSeconds(60));

        assertThat(result.finished()).isFalse();
        assertThat(result.reason()).startsWith("failed after 3 attempts: PnP Service Error 2004: Image checksum "
                + "verification failed");
        JsonNode device = server.device("FGL0000BAD1");
        assertThat(device.get("phase").asText()).isEqualTo("Failed");
        assertThat(device.get("step").asText()).isEqualTo("UPGRADE_INPROGRESS");
        assertThat(device.get("attempts").asInt()).isEqualTo(3);
        assertThat(device.get("lastError").asText()).isEqualTo("PnP Service Error 2004: Image checksum verification failed");
        assertThat(history(device)).filteredOn(t -> t.get("result").asText().equals("failure")).hasSize(3);
        assertThat(agent.router().version()).as("never reloaded into a damaged image").isEqualTo("17.06.01a");
    }

    /**
     * The fleet's metrics after one router finished and one failed its image checksum: by step, failures by
     * step. The exposition is kept in target/ for the chart's tests (promtool, the dashboard's and the
     * alerts' metric names).
     */
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
        Files.writeString(Path.of("target", "metrics-exposition.txt"), metrics);
    }

    @Test
    void routerAnsweringFaultsIsRetriedThenMarkedFailedWithTheFault() throws Exception {
        PnpAgent agent = agent("FGL0000FLT1", ROUTER.withFaultOn(java.util.Set.of("cli-config")));
        PnpAgent.Result result = agent.run(Instant.now().plusSeconds(60));

        assertThat(result.reason()).startsWith("failed after 3 attempts: XSVC:Client: An unknown XML tag has been received");
        JsonNode device = server.device("FGL0000FLT1");
        assertThat(device.get("phase").asText()).isEqualTo("Failed");
        assertThat(device.get("step").asText()).isEqualTo("NEW_DEVICE");
        assertThat(history(device)).extracting(t -> t.get("result").asText()).containsExactly("fault", "fault", "fault");
        assertThat(agent.router().executed()).containsEntry("cli-config", 3);
    }

    @Test
    void deployedGuestshellIsEnabledAndMissingOneIsInstalledFromThePackage() throws Exception {
        PnpAgent deployed = agent("FGL0000DEP1", ROUTER.withGuestshellAfterEem("DEPLOYED"));
        PnpAgent missing = agent("FGL0000NON1", ROUTER.withGuestshellAfterEem("NONE"));
        assertThat(deployed.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        assertThat(missing.run(Instant.now().plusSeconds(60)).finished()).isTrue();

        assertThat(steps(server.device("FGL0000DEP1"))).containsSubsequence("CHECK_GUESTSHELL", "ENABLE_GUESTSHELL",
                "WAIT_FOR_GUESTSHELL", "CHECK_GUESTSHELL", "RUN_PY_SCRIPT");
        assertThat(steps(server.device("FGL0000NON1"))).containsSubsequence("CHECK_GUESTSHELL", "INSTALL_GUESTSHELL",
                "WAIT_FOR_GUESTSHELL", "CHECK_GUESTSHELL", "ENABLE_GUESTSHELL", "WAIT_FOR_GUESTSHELL",
                "CHECK_GUESTSHELL", "RUN_PY_SCRIPT");
        assertThat(missing.router().scriptRuns()).isEqualTo(1);
    }

    @Test
    void repeatedResponsesOfATimedOutRouterNeverApplyAStepTwice() throws Exception {
        PnpAgent agent = agent("FGL0000REP1", ROUTER.withRepeatResponses());
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();

        JsonNode device = server.device("FGL0000REP1");
        List<Long> sequences = new ArrayList<>();
        history(device).forEach(t -> sequences.add(t.get("sequence").asLong()));
        assertThat(sequences).isEqualTo(java.util.stream.LongStream.rangeClosed(1, sequences.size()).boxed().toList());
        assertThat(steps(device)).doesNotHaveDuplicates();
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
        assertThat(steps(after)).doesNotHaveDuplicates().endsWith("FINISHED");
        assertThat(agent.router().scriptRuns()).isEqualTo(1);
    }

    @Test
    void twoHundredRoutersAtOnceAllFinish() throws Exception {
        Fleet.Summary summary = Fleet.run(server.deviceUrl(), 200, 200, "FLEET", ROUTER, Duration.ofSeconds(120));
        System.out.print(summary.print());

        assertThat(summary.finished()).as(summary.print()).isEqualTo(200);
        assertThat(summary.httpErrors()).isZero();
        JsonNode devices = server.devices();
        assertThat(devices).hasSize(200).allSatisfy(d -> assertThat(d.get("phase").asText()).isEqualTo("Provisioned"));
        assertThat(server.metrics()).contains("pnp_devices{application=\"pnp-endpoint\",phase=\"Provisioned\"} 200.0");
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
