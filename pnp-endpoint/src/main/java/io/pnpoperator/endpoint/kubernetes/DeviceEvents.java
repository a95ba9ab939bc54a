package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.endpoint.workflow.Transition;
import io.pnpoperator.endpoint.workflow.Workflow;
import io.pnpoperator.toolkit.kubernetes.Events;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PnpDevice's Events, for {@code kubectl describe}: one per reason (Step, StepFailed, MovedByOperator,
 * StepMoveRefused), counted, its message the latest transition's. Events are a courtesy to people:
 * they are posted in the background, and when the API server is slow they are dropped (with a log line)
 * rather than holding up any device.
 */
public final class DeviceEvents implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeviceEvents.class);
    static final int QUEUE = 1000;

    private final Events events;
    private final ThreadPoolExecutor poster = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "pnp-device-events");
                t.setDaemon(true);
                return t;
            }, (task, pool) -> log.warn("device event dropped: {} events already waiting", QUEUE));

    public DeviceEvents(KubernetesClient client) {
        this.events = new Events(client, "pnp-endpoint", Events.thisInstance());
    }

    void record(PnpDevice device, List<Transition> transitions) {
        for (Transition t : transitions) {
            poster.execute(() -> post(device, t));
        }
    }

    private void post(PnpDevice device, Transition t) {
        boolean failed = t.error().isPresent();
        String message = t.from() + " → " + t.to() + " (" + t.work() + " " + t.result() + ")"
                + t.error().map(e -> ": " + e).orElse("");
        try {
            String reason = t.work().equals(Workflow.WORK_MOVE) ? "MovedByOperator"
                    : t.work().equals(Workflow.WORK_REPROVISION) ? "Reprovisioned" : failed ? "StepFailed" : "Step";
            events.record(device, failed ? "Warning" : "Normal", reason, message, t.at());
        } catch (RuntimeException e) {
            log.warn("could not record event for {}: {}", device.getMetadata().getName(), e.getMessage());
        }
    }

    /** A person's step edit the endpoint would not take (a CRD without its rules let it through): undone. */
    void moveRefused(PnpDevice device, PersonsMove move, String why) {
        log.warn("{}: {} moved it from {} to {}: refused, {}", device.getMetadata().getName(), move.who(), move.from(),
                move.to(), why);
        warning(device, "StepMoveRefused", move.who() + " moved it from " + move.from() + " to " + move.to()
                + ": refused, " + why + "; status.step is " + move.from() + " again", move.at());
    }

    /** What a dry run of a profile found, on the profile: Normal when every model was provisioned, else Warning. */
    void dryRun(PnpProfile profile, boolean allProvisioned, String report, Instant at) {
        later(profile, allProvisioned ? "Normal" : "Warning", "DryRun", report, at);
    }

    /** A re-provisioning annotation the endpoint cannot act on: said until it is corrected. */
    void reprovisionRefused(PnpDevice device, String why, Instant at) {
        log.warn("{}: re-provisioning refused: {}", device.getMetadata().getName(), why);
        warning(device, "ReprovisionRefused", why, at);
    }

    private void warning(PnpDevice device, String reason, String message, Instant at) {
        later(device, "Warning", reason, message, at);
    }

    /** Recorded off the caller's thread: an Event is a courtesy, never worth a router's wait. */
    private void later(HasMetadata resource, String type, String reason, String message, Instant at) {
        poster.execute(() -> {
            try {
                events.record(resource, type, reason, message, at);
            } catch (RuntimeException e) {
                log.warn("could not record event for {}: {}", resource.getMetadata().getName(), e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        poster.shutdown();
    }
}
