package io.pnpoperator.endpoint.workflow;

import java.util.Optional;

/**
 * How a device's response moves it: forward, along a loop, or back with one more attempt counted; with the
 * device as the response left it (what it reported, what it is waiting for).
 */
record Outcome(Kind kind, Step next, Optional<String> reason, Device device) {

    enum Kind {
        /** Progress made: attempts start again from zero. */
        ADVANCE,
        /** Part of a wait or a loop that is already counted, or bounded by its own time budget: attempts are kept. */
        PASS,
        /** Something went wrong: one attempt is used, and the step is tried again after a backoff. */
        SETBACK
    }

    static Outcome advance(Device device, Step next) {
        return new Outcome(Kind.ADVANCE, next, Optional.empty(), device);
    }

    static Outcome pass(Device device, Step next) {
        return new Outcome(Kind.PASS, next, Optional.empty(), device);
    }

    static Outcome setback(Device device, Step next, String reason) {
        return new Outcome(Kind.SETBACK, next, Optional.of(reason), device);
    }
}
