package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.Work;
import java.time.Duration;
import java.util.List;

/**
 * How long devices are told to wait, and how often a failing step is tried.
 *
 * @param maxAttempts     tries of a step (first try included) before the device is marked failed
 * @param retry           backoff after a failed try
 * @param reload          backoff while a device reloads into its new image
 * @param guestshell      backoff while the guestshell installs or starts
 * @param blocked         backoff of a blocked device (low bootflash), until a person moves it on
 * @param failed          backoff of a failed device, until a person moves it on
 * @param finished        backoff of a provisioned device
 */
public record Timings(int maxAttempts, Duration retry, Duration reload, Duration guestshell, Duration blocked,
                      Duration failed, Duration finished) {

    public Timings {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max attempts must be at least 1, was " + maxAttempts);
        }
        for (Duration backoff : List.of(retry, reload, guestshell, blocked, failed, finished)) {
            if (backoff.compareTo(Work.Backoff.LONGEST) > 0 || backoff.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("pnp.workflow backoffs last 1 s to 47 h 59 min 59 s (the longest "
                        + "a PnP backoff can say), not " + backoff);
            }
        }
    }
}
