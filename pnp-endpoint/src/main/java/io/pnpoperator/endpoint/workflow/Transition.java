package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.Limits;
import java.time.Instant;
import java.util.Optional;

/**
 * One change of a device's step or phase, as kept in its history.
 *
 * @param sequence   1 for the device's first transition, then 2, 3, ...: with the serial, a unique key
 * @param work       the PnP service of the exchange that caused it ({@code operator} for a person's edit)
 * @param result     {@code sent}, {@code success}, {@code failure}, {@code fault} or {@code operator}
 * @param error      the device's own error text, or why the workflow chose a setback
 */
public record Transition(String serial, long sequence, Step from, Step to, Phase phase, String work,
                         Optional<String> correlator, String result, Optional<String> error, Instant at) {

    public Transition {
        error = error.map(e -> Limits.clip(e, Limits.ERROR_TEXT));
        result = Limits.clip(result, Limits.RESULT);
    }
}
