package io.pnpoperator.endpoint.web;

import java.util.Optional;

/** Decides whether an admin API request may go on: who sent it, and whether they may do what it asks. */
public interface AdminGate {

    /**
     * @param authorization the request's {@code Authorization} header
     * @param method        GET to read, PUT to move a device
     */
    Verdict decide(Optional<String> authorization, String method, String path);

    /**
     * @param authenticated the caller is known (refused: 403), or not (refused: 401)
     * @param reason        why refused, for the answer and the log; never the credentials
     */
    record Verdict(boolean allowed, boolean authenticated, String reason) {

        public static final Verdict ALLOWED = new Verdict(true, true, "");

        public static Verdict unknown(String reason) {
            return new Verdict(false, false, reason);
        }

        public static Verdict forbidden(String reason) {
            return new Verdict(false, true, reason);
        }
    }
}
