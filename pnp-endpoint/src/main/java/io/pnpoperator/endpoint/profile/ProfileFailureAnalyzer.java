package io.pnpoperator.endpoint.profile;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A bad profile stops the server with its one-line reason, not a wall of stack trace. */
class ProfileFailureAnalyzer extends AbstractFailureAnalyzer<ProfileException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProfileException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the profile or put the missing file in place, then start the server again.", cause);
    }
}
