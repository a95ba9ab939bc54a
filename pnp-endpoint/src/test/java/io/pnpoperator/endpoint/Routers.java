package io.pnpoperator.endpoint;

import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import io.pnpoperator.sim.Stats;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Simulated routers for the tests: made against one or several servers, run for a while, or in the background. */
public final class Routers {

    /** Backoffs of minutes last milliseconds; the 24 h backoff of a provisioned device ends the simulation. */
    public static final DeviceOptions FAST = DeviceOptions.defaults().withSpeed(2000);

    /**
     * The steps a default router goes through with the lab's profile, in order. Its guestshell is seen three times
     * on its way up (no row yet while the applet waits, DEPLOYED, ACTIVATED) before RUNNING: a WAIT and a CHECK each.
     */
    public static final List<String> FULL_PATH = List.of("NEW_DEVICE", "CONFIG_REG", "CHECK_IMAGE_VER",
            "UPGRADE_NEEDED", "UPGRADE_INPROGRESS", "UPGRADE_RELOAD_NEEDED", "UPGRADE_RELOADING", "UPGRADE_DONE",
            "GS_TARBALL_TRANSFER", "GS_TARBALL_VERIFY", "PY_SCRIPT_TRANSFER", "PY_SCRIPT_VERIFY", "CONFIG_START",
            "CONFIG_SAVE_STARTUP", "CHECK_BOOTFLASH_SIZE", "RUN_EVENT_MANAGER",
            "WAIT_FOR_GUESTSHELL", "CHECK_GUESTSHELL", "WAIT_FOR_GUESTSHELL", "CHECK_GUESTSHELL",
            "WAIT_FOR_GUESTSHELL", "CHECK_GUESTSHELL", "WAIT_FOR_GUESTSHELL", "CHECK_GUESTSHELL",
            "RUN_PY_SCRIPT", "FINISHED");

    /** Transitions of such a router: one into each step after the first. */
    public static final int TRANSITIONS = FULL_PATH.size() - 1;

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Routers() {
    }

    public static PnpAgent router(String serial, URI server, DeviceOptions options) {
        return routerOf(serial, List.of(server), options);
    }

    /** A router sending each message to the next server, as behind a load balancer. */
    public static PnpAgent routerOf(String serial, List<URI> servers, DeviceOptions options) {
        return new PnpAgent(servers, new SimulatedRouter(serial, options), options, HTTP, new Stats());
    }

    /** Runs a router until it is parked or {@code seconds} pass. */
    public static PnpAgent.Result run(PnpAgent router, int seconds) {
        try {
            return router.run(Instant.now().plusSeconds(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the router has been told to back off {@code contacts} more times: each a contact in which the
     * server could have moved it, so what has not changed by then was not going to.
     */
    public static void awaitMoreContacts(PnpAgent router, int contacts) throws InterruptedException {
        int before = router.router().executed().getOrDefault("backoff", 0);
        Instant until = Instant.now().plusSeconds(30);
        while (router.router().executed().getOrDefault("backoff", 0) < before + contacts) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError(router.router().serial() + " made no " + contacts + " more contacts in 30 s");
            }
            Thread.sleep(10);
        }
    }

    /** Every image install of these routers, as they lived it: from the install request to their report after it. */
    public static List<Instant[]> installs(List<PnpAgent> routers) {
        return routers.stream().flatMap(a -> a.router().installs().stream()).toList();
    }

    /** The most installs going on at one moment: at the start of each, how many had started and not yet ended. */
    public static int mostAtOnce(List<Instant[]> installs) {
        return installs.stream().mapToInt(w -> (int) installs.stream()
                .filter(o -> !o[0].isAfter(w[0]) && o[1].isAfter(w[0])).count()).max().orElse(0);
    }

    public static CompletableFuture<PnpAgent.Result> inBackground(PnpAgent router, int seconds) {
        return CompletableFuture.supplyAsync(() -> run(router, seconds));
    }
}
