package io.pnpoperator.endpoint.store;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** An earlier store that cannot be imported stops the server with the file, the reason and the way out. */
class ImportFailureAnalyzer extends AbstractFailureAnalyzer<H2Import.Failure> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, H2Import.Failure cause) {
        return new FailureAnalysis(cause.getMessage(), "Move " + cause.file() + " away to start without its devices, "
                + "or start the previous release again to use them.", cause);
    }
}
