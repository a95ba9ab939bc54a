package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
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
    PackagedServer server;

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void killedServerLosesNoTransitionAndRepeatsNoWork() throws Exception {
        server = PackagedServer.start(Lab.create(folder));
        List<PnpAgent> agents = server.routers("KILL", ROUTERS, ROUTER);
        List<Future<PnpAgent.Result>> running = PackagedServer.runAll(agents, Instant.now().plusSeconds(120));

        server.awaitWorkRequests(ROUTERS * 8);
        server.kill();
        assertThat(running).as("killed while routers were still working").anyMatch(f -> !f.isDone());
        server.start();

        PackagedServer.assertAllFinish(running, 120);
        server.assertEachFinishedOnceWithWholeHistory(agents);
    }
}
