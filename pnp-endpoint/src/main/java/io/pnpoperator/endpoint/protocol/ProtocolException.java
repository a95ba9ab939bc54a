package io.pnpoperator.endpoint.protocol;

/** A device message the endpoint cannot accept, with a reason precise enough to answer the sender. */
public class ProtocolException extends Exception {

    /** What was wrong with the message; each maps to one HTTP status at the edge. */
    public enum Problem {
        BODY_TOO_LARGE,
        BODY_TOO_SLOW,
        NOT_XML,
        MALFORMED_XML,
        DTD_REFUSED,
        MISSING_FIELD,
        FIELD_TOO_LONG,
        UNSUPPORTED_MESSAGE
    }

    private final Problem problem;

    public ProtocolException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
