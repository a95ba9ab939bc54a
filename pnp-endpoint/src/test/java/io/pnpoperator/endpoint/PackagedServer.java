package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.LocalServer;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import io.pnpoperator.sim.Stats;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * The packaged server ({@code target/pnp-endpoint.jar}) as its own process, for what a test cannot do to a
 * server inside its own JVM: kill it, or take its disk away. Standalone mode, on a {@link Lab}.
 */
final class PackagedServer implements AutoCloseable {

    private final HttpClient http = HttpClient.newHttpClient();
    private final LocalServer server;

    private PackagedServer(LocalServer server) {
        this.server = server;
    }

    static PackagedServer start(Lab lab, String... extraArgs) throws Exception {
        return start(Path.of("target/pnp-endpoint.jar"), lab, extraArgs);
    }

    /** Another build of the server (the previous release's), as {@link #start(Lab, String...)} starts this one. */
    static PackagedServer start(Path jar, Lab lab, String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--pnp.data-dir=" + lab.path("data"), "--pnp.profile=" + lab.path("pnp-profile.yaml"),
                "--pnp.configs-dir=" + lab.path("configs"), "--pnp.images-dir=" + lab.path("images"),
                "--pnp.files-dir=" + lab.path("files"), "--logging.level.root=WARN",
                // The simulated routers all call from 127.0.0.1.
                "--pnp.limits.requests-per-address=1000", "--pnp.limits.registrations-per-minute=1000"));
        args.addAll(List.of(extraArgs));
        return new PackagedServer(LocalServer.start(jar, args, lab.path("server.log")));
    }

    /** Starts the process again, on the same ports and data as before, and waits until it is ready. */
    void start() throws Exception {
        server.start();
    }

    /** This build of the server in the place of the one stopped, on its ports and data: an upgrade in place. */
    void upgrade() throws Exception {
        server.start(Path.of("target/pnp-endpoint.jar"));
    }

    /** SIGTERM, as an upgrade stops a server; waits until it is gone. */
    void stop() throws InterruptedException {
        server.close();
    }

    /** SIGKILL, as a crash or an OOM killer would. */
    void kill() throws InterruptedException {
        assertThat(server.kill()).as("gone within 30 s").isTrue();
    }

    long pid() {
        return server.pid();
    }

    URI deviceUrl() {
        return server.deviceUrl();
    }

    /** GET on the admin port: the body. */
    String get(String path) throws IOException, InterruptedException {
        return server.get(path);
    }

    /** Routers with serials {@code <prefix>00001…}, ready to run against this server. */
    List<PnpAgent> routers(String prefix, int count, DeviceOptions options) {
        List<PnpAgent> agents = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            agents.add(new PnpAgent(deviceUrl(), new SimulatedRouter(String.format("%s%05d", prefix, i), options),
                    options, http, new Stats()));
        }
        return agents;
    }

    /** Runs each router in a thread of its own until it is parked or {@code deadline} passes. */
    static List<Future<PnpAgent.Result>> runAll(List<PnpAgent> agents, Instant deadline) {
        ExecutorService pool = Executors.newFixedThreadPool(agents.size());
        List<Future<PnpAgent.Result>> running = agents.stream().map(a -> pool.submit(() -> a.run(deadline))).toList();
        pool.shutdown();
        return running;
    }

    /** Each router's run, once it ended: it finished. */
    static void assertAllFinish(List<Future<PnpAgent.Result>> running, int seconds) throws Exception {
        for (Future<PnpAgent.Result> result : running) {
            assertThat(result.get(seconds, TimeUnit.SECONDS).finished()).as(result.get().toString()).isTrue();
        }
    }

    /** Waits until the fleet is in full swing: {@code count} work requests answered. */
    void awaitWorkRequests(int count) throws Exception {
        Instant until = Instant.now().plusSeconds(60);
        while (PnpServer.metricValue(get("/actuator/prometheus"), "pnp_work_requests_total") < count) {
            assertThat(Instant.now()).as("fleet never got going").isBefore(until);
            Thread.sleep(5);
        }
    }

    /**
     * Each router did each piece of work once (a copy cut short is reported failed and tried again; nothing that
     * succeeded is repeated), and its history is whole: transitions 1, 2, 3… with none missing or twice.
     */
    void assertEachFinishedOnceWithWholeHistory(List<PnpAgent> agents) throws Exception {
        for (PnpAgent agent : agents) {
            SimulatedRouter router = agent.router();
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

    @Override
    public void close() throws InterruptedException {
        server.kill();
    }
}
