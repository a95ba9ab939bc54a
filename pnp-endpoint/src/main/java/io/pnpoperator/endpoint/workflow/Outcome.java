package io.pnpoperator.endpoint.workflow;

import java.util.Optional;

/** How a device's response moves it: forward, along a loop, or back with one more attempt counted. */
record Outcome(Kind kind, Step next, Optional<String> reason) {

    enum Kind {
        /** Progress made: attempts start again from zero. */
        ADVANCE,
        /** Part of a wait or a loop that is already counted: attempts are kept. */
        PASS,
        /** Something went wrong or is not there yet: one attempt is used, and a backoff comes first. */
        SETBACK
    }

    static Outcome advance(Step next) {
        return new Outcome(Kind.ADVANCE, next, Optional.empty());
    }

    static Outcome pass(Step next) {
        return new Outcome(Kind.PASS, next, Optional.empty());
    }

    static Outcome setback(Step next, String reason) {
        return new Outcome(Kind.SETBACK, next, Optional.of(reason));
    }
}
