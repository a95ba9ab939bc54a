package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.Report;
import java.time.Instant;

/**
 * Checks a device's answer to a device-auth challenge: is it signed by the key of a SUDI certificate that the
 * trust bundle vouches for, and does that certificate name the device's UDI?
 */
public interface IdentityProof {

    /** A proof that can check nothing: no trust bundle is configured. */
    IdentityProof NONE = (pid, serial, challenge, answer, now) -> new Verdict(false,
            "no SUDI trust bundle is configured (pnp.security.sudi-trust-bundle): SUDI proofs cannot be checked");

    Verdict check(String pid, String serial, String challenge, Report.DeviceAuth answer, Instant now);

    /**
     * @param proven whether the proof holds
     * @param detail who the device is when it holds (the certificate's serial number attribute), why not otherwise
     */
    record Verdict(boolean proven, String detail) {
    }
}
