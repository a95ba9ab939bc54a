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
     * @param caller        who was let in, as history and Events name them: a Kubernetes user, or how
     */
    record Verdict(boolean allowed, boolean authenticated, String reason, String caller) {

        public static Verdict allowed(String caller) {
            return new Verdict(true, true, "", caller);
        }

        public static Verdict unknown(String reason) {
            return new Verdict(false, false, reason, "");
        }

        public static Verdict forbidden(String reason) {
            return new Verdict(false, true, reason, "");
        }
    }
}
