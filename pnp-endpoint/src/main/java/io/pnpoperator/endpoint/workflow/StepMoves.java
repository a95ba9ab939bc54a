package io.pnpoperator.endpoint.workflow;

import java.util.Optional;
import java.util.Set;

/**
 * Which moves a person may make, by setting a device's step (the admin API, or {@code status.step} with
 * kubectl): out of a blocked or failed step, back to a step to do it again, forward to skip one — but never
 * to {@code FINISHED} (the router gets there by running its script), never on a provisioned router, and not
 * while the router is installing or reloading its image (an image step with a request awaiting its answer). The PnpDevice CRD says the same in CEL
 * rules, so the API server refuses such an edit at once; {@code StepMovesTest} keeps the two in agreement.
 */
public final class StepMoves {

    /** The router is busy with its image: a move would lose track of a reload in progress. */
    public static final Set<Step> IMAGE_IN_FLIGHT = Set.of(Step.UPGRADE_INPROGRESS, Step.UPGRADE_RELOAD_NEEDED,
            Step.UPGRADE_RELOADING);

    private StepMoves() {
    }

    /**
     * Why moving a device in {@code phase} from {@code from} to {@code to} is refused; empty when it may be.
     *
     * @param awaitingAnswer a request was sent to the router and not answered yet
     */
    public static Optional<String> refusal(Step from, Step to, Phase phase, boolean awaitingAnswer) {
        if (from == to) {
            return Optional.empty();
        }
        if (to == Step.FINISHED) {
            return Optional.of("FINISHED is reached by the router running its script; to stop provisioning a router, "
                    + "set spec.paused");
        }
        if (phase == Phase.PROVISIONED) {
            return Optional.of("the router is provisioned: a step edit cannot send it back; delete the PnpDevice to "
                    + "forget it");
        }
        if (IMAGE_IN_FLIGHT.contains(from) && awaitingAnswer) {
            return Optional.of("the router is installing or reloading its image: wait until it reports back before "
                    + "moving it");
        }
        return Optional.empty();
    }
}
