package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import io.pnpoperator.sim.Stats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server, killed with SIGKILL while 20 routers are in the middle of their workflow, then
 * started again: every router finishes, and none was asked to do any piece of work twice.
 */
class ServerKilledIT {

    static final int ROUTERS = 20;
    static final DeviceOptions ROUTER = DeviceOptions.defaults().withSpeed(2000);

    @TempDir
    Path folder;
    Process server;
    final HttpClient http = HttpClient.newHttpClient();
    final int devicePort = PnpServer.freePort();
    final int adminPort = PnpServer.freePort();

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void killedServerLosesNoTransitionAndRepeatsNoWork() throws Exception {
        Lab lab = Lab.create(folder);
        server = start(lab);

        ExecutorService pool = Executors.newFixedThreadPool(ROUTERS);
        List<PnpAgent> agents = new ArrayList<>();
        List<Future<PnpAgent.Result>> running = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(120);
        for (int i = 1; i <= ROUTERS; i++) {
            PnpAgent agent = new PnpAgent(URI.create("http://127.0.0.1:" + devicePort),
                    new SimulatedRouter(String.format("KILL%05d", i), ROUTER), ROUTER, http, new Stats());
            agents.add(agent);
            running.add(pool.submit(() -> agent.run(deadline)));
        }
        awaitWorkRequests(ROUTERS * 8);
        server.destroyForcibly();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(running).as("killed while routers were still working").anyMatch(f -> !f.isDone());
        server = start(lab);

        for (Future<PnpAgent.Result> result : running) {
            assertThat(result.get(120, TimeUnit.SECONDS).finished()).as(result.get().toString()).isTrue();
        }
        pool.shutdown();
        for (PnpAgent agent : agents) {
            SimulatedRouter router = agent.router();
            // A copy cut short by the kill is reported failed and tried again; nothing that succeeded is repeated.
            assertThat(router.completed()).as(router.serial()).containsEntry("cli-config", 1)
                    .containsEntry("image-install", 1).containsEntry("file-transfer", 2).containsEntry("config-upgrade", 1);
            assertThat(router.scriptRuns()).as(router.serial()).isEqualTo(1);
            JsonNode device = PnpServer.json(get("/api/devices/" + router.serial()));
            assertThat(device.get("step").asText()).isEqualTo("FINISHED");
            List<Long> sequences = new ArrayList<>();
            device.get("history").forEach(t -> sequences.add(t.get("sequence").asLong()));
            assertThat(sequences).isEqualTo(LongStream.rangeClosed(1, sequences.size()).boxed().toList());
            assertThat(ProvisioningEndToEndTest.steps(device)).as(router.serial()).isEqualTo(Routers.FULL_PATH);
        }
    }

    /** Waits until the fleet is in full swing: about half of its work requests answered. */
    private void awaitWorkRequests(int count) throws Exception {
        Instant until = Instant.now().plusSeconds(60);
        while (PnpServer.metricValue(get("/actuator/prometheus"), "pnp_work_requests_total") < count) {
            assertThat(Instant.now()).as("fleet never got going").isBefore(until);
            Thread.sleep(5);
        }
    }

    private Process start(Lab lab) throws Exception {
        Path jar = Path.of("target/pnp-endpoint.jar").toAbsolutePath();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toString(), "--pnp.device-port=" + devicePort, "--pnp.admin-port=" + adminPort,
                "--pnp.data-dir=" + lab.path("data"), "--pnp.profile=" + lab.path("pnp-profile.yaml"),
                "--pnp.configs-dir=" + lab.path("configs"), "--pnp.images-dir=" + lab.path("images"),
                "--pnp.files-dir=" + lab.path("files"), "--logging.level.root=WARN")
                .redirectErrorStream(true).redirectOutput(lab.path("server.log").toFile()).start();
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            try {
                if (get("/actuator/health/readiness").contains("UP")) {
                    return process;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("server did not become ready; see " + lab.path("server.log"));
    }

    private String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
