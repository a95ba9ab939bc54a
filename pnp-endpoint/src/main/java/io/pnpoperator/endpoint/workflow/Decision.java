package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.ServerMessage;
import java.util.Optional;

/**
 * The result of one device message: the change to store first, then the answer to send.
 *
 * @param ignored why a response changed nothing of the device's progress, when it did not
 */
public record Decision(Change change, ServerMessage answer, Optional<Ignored> ignored) {

    public Decision(Change change, ServerMessage answer) {
        this(change, answer, Optional.empty());
    }

    /** Why a device's response was not applied; each is a label of {@code pnp_responses_ignored_total}. */
    public enum Ignored {
        /** A retry of a response already applied: normal after a lost answer. */
        REPEATED("repeated"),
        /** Nothing was awaited with this correlator (an answer to a request a person's move superseded). */
        NOT_AWAITED("not-awaited"),
        /** No correlator, and not a fault: a real agent always echoes the request's. */
        NO_CORRELATOR("no-correlator"),
        /** From another address than the work request the pending request answered. */
        OTHER_ADDRESS("other-address"),
        /** About a device that is provisioned or held for a person: device reports do not move it. */
        SETTLED("settled");

        private final String label;

        Ignored(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
