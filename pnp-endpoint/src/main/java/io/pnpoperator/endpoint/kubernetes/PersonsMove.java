package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.StepMoves;
import io.pnpoperator.endpoint.workflow.Transition;
import io.pnpoperator.endpoint.workflow.Workflow;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A person's edit of {@code status.step} (kubectl patch or edit), not yet taken up by an endpoint: the step
 * differs from the one the endpoint last wrote ({@code status.exchange.step}). Who made it is the field manager
 * the API server recorded for the latest status write that was not ours ({@code metadata.managedFields}).
 */
record PersonsMove(Step from, Step to, Phase phase, boolean awaitingAnswer, String who, Instant at, long sequence) {

    /** The field managers of this project's programs: their writes are never a person's. */
    static final String ENDPOINT = "pnp-endpoint";
    static final Set<String> OURS = Set.of(ENDPOINT, "pnp-operator");

    static Optional<PersonsMove> of(PnpDevice resource, Instant now) {
        PnpDeviceStatus s = resource.getStatus();
        if (s == null || s.step() == null || s.exchange() == null || s.exchange().step() == null
                || s.exchange().step() == s.step()) {
            return Optional.empty();
        }
        Optional<ManagedFieldsEntry> edit = lastStatusWriteByAPerson(resource.getMetadata().getManagedFields());
        return Optional.of(new PersonsMove(Step.valueOf(s.exchange().step().name()), Step.valueOf(s.step().name()),
                Phase.valueOf(s.phase().name()), s.exchange().pendingCorrelator() != null,
                edit.map(ManagedFieldsEntry::getManager).orElse("unknown"),
                edit.map(ManagedFieldsEntry::getTime).map(Instant::parse).orElse(now),
                (s.exchange().transitions() == null ? 0 : s.exchange().transitions()) + 1));
    }

    /** Why the move is refused ({@link StepMoves}), if it is: a CRD without the rules lets such an edit through. */
    Optional<String> refusal() {
        return StepMoves.refusal(from, to, phase, awaitingAnswer);
    }

    /** The move as the device's next transition, naming who made it. */
    Transition transition(String serial) {
        return new Transition(serial, sequence, from, to, Phase.of(to), Workflow.WORK_MOVE, Optional.empty(),
                who, Optional.empty(), at);
    }

    private static Optional<ManagedFieldsEntry> lastStatusWriteByAPerson(List<ManagedFieldsEntry> entries) {
        return entries == null ? Optional.empty() : entries.stream()
                .filter(e -> "status".equals(e.getSubresource()) && e.getManager() != null
                        && !OURS.contains(e.getManager()) && e.getTime() != null)
                .max(Comparator.comparing(ManagedFieldsEntry::getTime));
    }
}
