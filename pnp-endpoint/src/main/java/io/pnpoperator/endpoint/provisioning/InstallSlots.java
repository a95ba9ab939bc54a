package io.pnpoperator.endpoint.provisioning;

import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.StepMoves;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * The image install slots of each profile's rollout, shared by every endpoint replica: a device takes one before its
 * image install is sent and holds it while it installs, reloads and is checked; beyond the limit devices wait in
 * line. The database (standalone) or the API server (in a cluster) decides, so two replicas never let one install
 * too many through.
 */
public interface InstallSlots {

    /** The steps of an image install: a device in one of them holds its slot. */
    Set<Step> INSTALLING = StepMoves.IMAGE_IN_FLIGHT;

    /**
     * How long a slot taken by a device that is not installing yet stays its own: long enough for the install to be
     * sent and stored, after which a device that never got that far (it went away, its write was refused) frees it.
     */
    Duration CLAIM_GRACE = Duration.ofMinutes(2);

    /**
     * Whether a device still holds the slot it took at {@code takenAt}: while it installs, and while it waits in
     * UPGRADE_NEEDED for the install to be sent, for {@link #CLAIM_GRACE}. A device past its install, failed, or gone
     * holds none.
     */
    static boolean holds(Optional<Step> step, Optional<Phase> phase, Instant takenAt, Instant now) {
        if (phase.filter(p -> p == Phase.FAILED).isPresent()) {
            return false;
        }
        return step.filter(INSTALLING::contains).isPresent()
                || step.filter(s -> s == Step.UPGRADE_NEEDED).isPresent() && takenAt.isAfter(now.minus(CLAIM_GRACE));
    }

    /** Takes a slot of {@code profile} for the device, or finds it holds one; else its place in line. */
    Admission admit(String profile, String serial, int limit, Instant now);

    /** The outcome of asking for a slot. */
    sealed interface Admission permits Admitted, InLine {
    }

    /** The device may install its image. */
    record Admitted() implements Admission {
    }

    /** The device waits: {@code place} in line (1: next), {@code inUse} slots taken. */
    record InLine(int place, int inUse) implements Admission {
    }
}
