package io.pnpoperator.toolkit.kubernetes;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Status conditions as Kubernetes conventions want them, for every writer of this project's resources. */
public final class Conditions {

    private Conditions() {
    }

    /**
     * The condition {@code type} now, as observed of the resource's {@code generation}: its lastTransitionTime
     * is kept from {@code before} while its status stays the same, and is {@code now} when the status changes.
     */
    public static Condition next(List<Condition> before, String type, String status, String reason, String message,
                                 Long generation, Instant now) {
        String since = find(before, type).filter(c -> status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime).orElse(now.toString());
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build();
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
