package io.pnpoperator.endpoint;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Settings that cannot work stop the server with their one-line reason, not a wall of stack trace. */
class SettingFailureAnalyzer extends AbstractFailureAnalyzer<SettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SettingException cause) {
        return new FailureAnalysis(cause.getMessage(), "Change the settings named, then start the server again "
                + "(docs/configuration.md lists them).", cause);
    }
}
