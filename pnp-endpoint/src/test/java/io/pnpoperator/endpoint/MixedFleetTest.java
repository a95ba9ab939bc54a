package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pnpoperator.sim.PnpAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routers of several models in one rollout: each gets the image (and the profile) meant for its PID. */
class MixedFleetTest {

    static final String C8000_IMAGE = "c8000be-universalk9.17.12.04.SPA.bin";

    @TempDir
    Path folder;
    Lab lab;
    PnpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void profilesInOneFileAreChosenByTheirRulesEachWithItsImageAndConfig() throws Exception {
        lab = Lab.create(folder);
        Files.write(lab.path("images/" + C8000_IMAGE), new byte[64 * 1024]);
        lab.write("configs/c8000.cfg", Lab.DEFAULT_CFG + "hostname catalyst-edge\n");
        String catalyst = Lab.PROFILE.replace("name: lab", "name: catalyst").replace(Lab.IMAGE, C8000_IMAGE)
                .replace("version: " + Lab.TARGET_VERSION, "version: \"17.12.04\"")
                .replace("template: default.cfg", "template: c8000.cfg")
                .replace("spec:\n", "spec:\n  match: {platforms: [\"C8200-*\", \"C8300-*\"]}\n");
        lab.write("pnp-profile.yaml", Lab.PROFILE + "---\n" + catalyst);
        server = PnpServer.start(lab);

        PnpAgent isr = Routers.router("FGL0000ISR1", server.deviceUrl(), Routers.FAST);
        PnpAgent c8200 = Routers.router("FGL0000CAT1", server.deviceUrl(), Routers.FAST.withPid("C8200-1N-4T"));
        assertThat(isr.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        assertThat(c8200.run(Instant.now().plusSeconds(60)).finished()).isTrue();

        assertThat(server.device("FGL0000ISR1").get("profile").asText()).as("no rule: the first without one")
                .isEqualTo("lab");
        assertThat(server.device("FGL0000CAT1").get("profile").asText()).isEqualTo("catalyst");
        assertThat(c8200.router().bootflash()).containsKey("bootflash:" + C8000_IMAGE);
        assertThat(c8200.router().runningConfig()).contains("hostname catalyst-edge");
        assertThat(isr.router().runningConfig()).doesNotContain("catalyst-edge");
    }

    @Test
    void rulesThatCouldMeetOneRouterAtOnePriorityStopTheServerNamingBoth() {
        lab = Lab.create(folder);
        String rule = "spec:\n  match: {platforms: [\"C11*\"]}\n";
        lab.write("pnp-profile.yaml", Lab.PROFILE.replace("spec:\n", rule) + "---\n"
                + Lab.PROFILE.replace("name: lab", "name: pilot").replace("spec:\n",
                        "spec:\n  match: {platforms: [\"C1131-*\"]}\n"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PnpServer.start(lab)).rootCause()
                .hasMessage("profile " + lab.path("pnp-profile.yaml") + ": spec.match of lab and of pilot can both match "
                        + "one router at the same priority: give one of them a higher spec.match.priority, or narrow "
                        + "their platforms or serials");
    }

    @Test
    void aRolloutLetsAtMostItsLimitOfRoutersInstallAtOnceTheOthersWaitInLine() throws Exception {
        lab = Lab.create(folder);
        lab.write("pnp-profile.yaml", Lab.PROFILE.replace("spec:\n", "spec:\n  rollout: {maxConcurrentImageInstalls: 2}\n"));
        server = PnpServer.start(lab);

        List<PnpAgent> agents = java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(i -> Routers.router(
                String.format("FGL0000RL%02d", i), server.deviceUrl(), Routers.FAST)).toList();
        List<CompletableFuture<PnpAgent.Result>> runs = agents.stream()
                .map(a -> Routers.inBackground(a, 90)).toList();
        int mostWaiting = 0;
        while (!runs.stream().allMatch(CompletableFuture::isDone)) {
            int waiting = 0;
            for (JsonNode d : server.devices()) {
                waiting += d.hasNonNull("inLine") ? 1 : 0;
            }
            mostWaiting = Math.max(mostWaiting, waiting);
            Thread.sleep(20);
        }
        assertThat(runs).allSatisfy(r -> assertThat(r.get().finished()).isTrue());

        List<Instant[]> installs = Routers.installs(agents);
        assertThat(installs).hasSize(8);
        assertThat(Routers.mostAtOnce(installs)).as("installs at once, as the routers saw them").isEqualTo(2);
        assertThat(mostWaiting).as("routers were made to wait in line").isPositive();
    }

    @Test
    void aPausedRolloutSendsNoNewWorkAndSaysWhy() throws Exception {
        lab = Lab.create(folder);
        lab.write("pnp-profile.yaml", Lab.PROFILE.replace("spec:\n", "spec:\n  rollout: {paused: true}\n"));
        server = PnpServer.start(lab);

        PnpAgent agent = Routers.router("FGL0000PAU1", server.deviceUrl(), Routers.FAST);
        Routers.run(agent, 2);
        JsonNode device = server.device("FGL0000PAU1");
        assertThat(device.get("phase").asText()).isEqualTo("Pending");
        assertThat(device.get("lastError").asText()).isEqualTo("rollout paused: profile lab (spec.rollout.paused): set "
                + "it to false to go on");
        assertThat(agent.router().executed()).containsOnlyKeys("backoff");
    }

    @Test
    void twoModelsInOneProfileEachGetTheirOwnImageAndAThirdWaitsSayingWhy() throws Exception {
        lab = Lab.create(folder);
        Files.write(lab.path("images/" + C8000_IMAGE), new byte[64 * 1024]);
        lab.write("pnp-profile.yaml", Lab.PROFILE.replaceFirst("(?s)  image:\n.*?md5: \"\"\n", """
                  images:
                    - platforms: ["C1131-*", "C1111-*"]
                      image: {file: %s, version: %s}
                    - platforms: ["C8200-*"]
                      image: {file: %s, version: "17.12.04"}
                """.formatted(Lab.IMAGE, Lab.TARGET_VERSION, C8000_IMAGE)));
        server = PnpServer.start(lab);

        PnpAgent isr = Routers.router("FGL0000ISR1", server.deviceUrl(), Routers.FAST.withPid("C1131-8PWB"));
        PnpAgent catalyst = Routers.router("FGL0000CAT1", server.deviceUrl(), Routers.FAST.withPid("C8200-1N-4T"));
        PnpAgent isr4k = Routers.router("FGL0000ISR4", server.deviceUrl(), Routers.FAST.withPid("ISR4331/K9"));

        assertThat(isr.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        assertThat(catalyst.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        assertThat(isr.router().bootflash()).containsKey("bootflash:" + Lab.IMAGE).doesNotContainKey("bootflash:" + C8000_IMAGE);
        assertThat(catalyst.router().bootflash()).containsKey("bootflash:" + C8000_IMAGE).doesNotContainKey("bootflash:" + Lab.IMAGE);
        assertThat(server.device("FGL0000ISR1").get("version").asText()).isEqualTo("17.14.1a");
        assertThat(server.device("FGL0000CAT1").get("version").asText()).isEqualTo("17.12.4");

        Routers.run(isr4k, 2);
        JsonNode waiting = server.device("FGL0000ISR4");
        assertThat(waiting.get("phase").asText()).isEqualTo("Pending");
        assertThat(waiting.get("lastError").asText()).isEqualTo("no image for platform ISR4331/K9 in profile lab (its "
                + "images are for C1131-*, C1111-*, C8200-*): add one to spec.images, or give spec.image for every "
                + "other platform");
        assertThat(isr4k.router().executed()).as("nothing sent but waits").containsOnlyKeys("backoff");
        assertThat(isr4k.router().version()).isEqualTo("17.06.01a");
    }
}
