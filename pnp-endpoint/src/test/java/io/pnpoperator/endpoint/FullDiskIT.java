package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged server's database file can no longer be written while 20 routers are mid-workflow — its process
 * gets a file size limit ({@code prlimit --fsize}), so every write past the first bytes of a file fails as on a
 * full disk — then the limit is lifted, as when space is freed. Meanwhile health and readiness say DOWN and
 * routers' work requests are answered with a PnP backoff, with nothing internal in it (their responses with
 * 503, sent again); afterwards the server recovers by itself, without a restart, and every router finishes with no transition lost and no work done twice.
 */
class FullDiskIT {

    static final int ROUTERS = 20;
    static final DeviceOptions ROUTER = DeviceOptions.defaults().withSpeed(2000);

    @TempDir
    Path folder;
    PackagedServer server;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void aFullDiskStopsWritesLosesNothingAndTheServerRecoversWhenSpaceIsBack() throws Exception {
        server = PackagedServer.start(Lab.create(folder));
        List<PnpAgent> agents = server.routers("FULL", ROUTERS, ROUTER);
        List<Future<PnpAgent.Result>> running = PackagedServer.runAll(agents, Instant.now().plusSeconds(180));
        server.awaitWorkRequests(ROUTERS * 6);

        Instant full = Instant.now();
        prlimit("--fsize=4096:unlimited");
        awaitHealth("/actuator/health/store", "DOWN");
        Duration down = Duration.between(full, Instant.now());
        assertThat(server.get("/actuator/health/readiness")).contains("DOWN");
        Instant asked = Instant.now();
        HttpResponse<String> refused = workRequest("FULL99999");
        Duration answered = Duration.between(asked, Instant.now());
        assertThat(refused.statusCode()).as("a work request is told to come back (PnP backoff)").isEqualTo(200);
        assertThat(refused.body()).contains("urn:cisco:pnp:backoff", "the server cannot store progress now; nothing "
                + "was changed").doesNotContainIgnoringCase("sql").doesNotContain("org.sqlite", "Exception", "at io.");

        prlimit("--fsize=unlimited:unlimited");
        Instant spaceBack = Instant.now();
        awaitHealth("/actuator/health/store", "UP");
        System.out.printf("full disk: store DOWN within %d ms of the limit, a work request answered with a backoff "
                        + "in %d ms, UP again %d ms after the limit was lifted, without a restart%n", down.toMillis(),
                answered.toMillis(), Duration.between(spaceBack, Instant.now()).toMillis());
        assertThat(server.get("/actuator/health/readiness")).contains("UP");

        PackagedServer.assertAllFinish(running, 180);
        server.assertEachFinishedOnceWithWholeHistory(agents);
    }

    private void prlimit(String limit) throws Exception {
        Process p = new ProcessBuilder("prlimit", "--pid", Long.toString(server.pid()), limit).inheritIO().start();
        assertThat(p.waitFor()).as("prlimit " + limit).isZero();
    }

    private void awaitHealth(String path, String status) throws Exception {
        Instant until = Instant.now().plusSeconds(60);
        while (!server.get(path).contains("\"" + status + "\"")) {
            assertThat(Instant.now()).as(path + " never " + status + ": " + server.get(path)).isBefore(until);
            Thread.sleep(100);
        }
    }

    private HttpResponse<String> workRequest(String serial) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.deviceUrl() + "/pnp/WORK-REQUEST"))
                .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString("<pnp xmlns=\"urn:cisco:pnp\" "
                        + "version=\"1.0\" udi=\"PID:C1131-8PWB,VID:V01,SN:" + serial + "\"><info xmlns=\"urn:cisco:pnp:"
                        + "work-info\" correlator=\"c-1\"/></pnp>")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
