package io.pnpoperator.endpoint.protocol;

import io.pnpoperator.endpoint.protocol.ProtocolException.Problem;

/**
 * The longest value of each field a device sends that the endpoint keeps. Real values are far shorter (a PID is
 * about 20 characters, a correlator about 40); the limits are the sizes the stores give them, so a value that
 * passes here is stored as it came, and one that does not is refused with its name instead of failing a write.
 */
public final class Limits {

    public static final int PID = 64;
    public static final int VID = 16;
    public static final int HOSTNAME = 255;
    public static final int CORRELATOR = 255;
    public static final int IMAGE_FILE = 255;
    /** An error text kept in a device's status and history: the device's own words, cut beyond this. */
    public static final int ERROR_TEXT = 2000;
    /** A transition's result: an outcome, or who made a move (a Kubernetes user name is at most 253). */
    public static final int RESULT = 255;

    private static final int SHOWN = 40;

    private Limits() {
    }

    static void check(String field, String value, int limit) throws ProtocolException {
        String problem = problem(field, value, limit);
        if (problem != null) {
            throw new ProtocolException(Problem.FIELD_TOO_LONG, problem);
        }
    }

    /** Why a value is refused, or null when it fits. */
    static String problem(String field, String value, int limit) {
        return value.length() <= limit ? null : field + " is " + value.length() + " characters long, over the limit of "
                + limit + " (starts '" + shown(value) + "')";
    }

    /** The start of a value, for a message: never the whole of a value that may be megabytes long. */
    static String shown(String value) {
        return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "…";
    }

    /** A text cut to {@code limit} characters, its end marked when cut. */
    public static String clip(String text, int limit) {
        return text.length() <= limit ? text : text.substring(0, limit - 1) + "…";
    }
}
