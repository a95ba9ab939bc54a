package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.testcluster.PreviousRelease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab server upgraded in place from the previous release (tools/previous-release/commit), whose embedded store is
 * an H2 file: routers are mid-workflow on the previous release when it is stopped; this release, started on the same
 * data folder and ports, brings the file into its own store, and every router finishes with its history whole and no
 * work done twice; the file is never imported twice. A file it cannot read stops it with the file's name, and changes
 * nothing.
 */
class UpgradeFromH2IT {

    static final int ROUTERS = 8;
    static final DeviceOptions ROUTER = DeviceOptions.defaults().withSpeed(2000);

    @TempDir
    Path folder;
    PackagedServer server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void routersMidWorkflowOnThePreviousReleaseFinishOnThisOne() throws Exception {
        Lab lab = Lab.create(folder);
        server = PackagedServer.start(PreviousRelease.jars().resolve("pnp-endpoint.jar"), lab);
        List<PnpAgent> agents = server.routers("UPGR", ROUTERS, ROUTER);
        List<Future<PnpAgent.Result>> running = PackagedServer.runAll(agents, Instant.now().plusSeconds(180));
        server.awaitWorkRequests(ROUTERS * 6);
        server.stop();
        assertThat(running).as("stopped while routers were still working").anyMatch(f -> !f.isDone());
        Path data = lab.path("data");
        assertThat(data.resolve("pnp.mv.db")).as("the previous release's store").exists();

        server.upgrade();

        assertThat(data.resolve("pnp.mv.db")).doesNotExist();
        assertThat(data.resolve("pnp.mv.db.imported")).as("kept for a rollback").exists();
        assertThat(Files.readString(lab.path("server.log"))).containsPattern("imported " + ROUTERS
                + " devices and \\d+ transitions from .*pnp\\.mv\\.db");
        PackagedServer.assertAllFinish(running, 180);
        server.assertEachFinishedOnceWithWholeHistory(agents);

        // Rolled back and forward again: the file, renamed back for the previous release, is not imported twice.
        server.stop();
        Files.move(data.resolve("pnp.mv.db.imported"), data.resolve("pnp.mv.db"));
        server.upgrade();
        assertThat(data.resolve("pnp.mv.db")).as("left as it is").exists();
        assertThat(Files.readString(lab.path("server.log"))).contains("left as it is, nothing of it imported");
        server.assertEachFinishedOnceWithWholeHistory(agents);
    }

    @Test
    void anUnreadableEarlierStoreStopsTheServerAndChangesNothing() throws Exception {
        Lab lab = Lab.create(folder);
        Path earlier = lab.path("data").resolve("pnp.mv.db");
        Files.createDirectories(earlier.getParent());
        byte[] garbage = "not an H2 file, cut short by a full disk".repeat(100).getBytes();
        Files.write(earlier, garbage);

        assertThatThrownBy(() -> PackagedServer.start(lab)).hasMessageContaining("could not import " + earlier)
                .hasMessageContaining("Move " + earlier + " away to start without its devices");
        assertThat(earlier).as("left as it was").hasBinaryContent(garbage);
        assertThat(earlier.resolveSibling("pnp.mv.db.imported")).doesNotExist();
    }
}
