package io.pnpoperator.endpoint.workflow;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How far the workflow trusts what arrives in a device's name ({@code pnp.security.*}; defaults in
 * application.yaml). A serial number is printed on the box: knowing it must not be enough to change a device's
 * progress or to fetch its configuration.
 *
 * @param bindToAddress     a response, and the day-0 config download, are accepted only from the address the
 *                          device's work request came from (switch off only where one router's connections reach
 *                          the server from changing addresses, e.g. behind a source-NAT pool)
 * @param configUrlLifetime how long a day-0 config URL works after it was sent; it works once in any case
 * @param reappeared        what happens to a provisioned device that comes back without a startup configuration
 * @param sudiTrustBundle   PEM certificates (roots and intermediates) that vouch for SUDI certificates, for
 *                          profiles with {@code identity: sudi}; null (none): their devices fail the proof
 */
public record Security(boolean bindToAddress, Duration configUrlLifetime, Reappeared reappeared,
                       Path sudiTrustBundle) {


    public Security {
        if (configUrlLifetime.isNegative() || configUrlLifetime.isZero()) {
            throw new IllegalArgumentException("pnp.security.config-url-lifetime must be positive, not "
                    + configUrlLifetime);
        }
    }

    /** A provisioned device back in factory state: erased and reloaded, replaced, or someone claiming its serial. */
    public enum Reappeared {
        /** Held for a person (phase Held, with the reason): moving it to NEW_DEVICE provisions it again. */
        HOLD,
        /** Provisioned again from NEW_DEVICE, config included: only where every device proves who it is. */
        REPROVISION
    }
}
