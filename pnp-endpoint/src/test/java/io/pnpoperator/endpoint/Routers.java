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

    public static CompletableFuture<PnpAgent.Result> inBackground(PnpAgent router, int seconds) {
        return CompletableFuture.supplyAsync(() -> run(router, seconds));
    }
}
