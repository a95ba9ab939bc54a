package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.toolkit.text.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;

/**
 * The day-0 config URL a device was sent, as the stores keep it: the SHA-256 of its secret (the secret itself is
 * only ever in the URL, so a copy of the status or the database does not fetch a config), when it was sent, and
 * the address it was sent to. It works once: the first download that passes {@link #refusal} uses it up.
 *
 * @param tokenSha256 SHA-256 of the URL's secret, in lower-case hex
 * @param boundTo     the address of the work request the URL answered
 */
public record ConfigGrant(String tokenSha256, Instant issuedAt, String boundTo) {

    /** The grant of a new secret, sent now to the device at {@code address}. */
    static ConfigGrant of(String token, String address, Instant now) {
        return new ConfigGrant(Sha256.hex(token), now, address);
    }

    /** Why a download with this secret, from this address, now, is refused; empty when it may have the config. */
    Optional<String> refusal(String token, String address, Instant now, Security security) {
        if (!MessageDigest.isEqual(Sha256.hex(token).getBytes(StandardCharsets.US_ASCII),
                tokenSha256.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.of("not the URL last sent");
        }
        if (now.isAfter(issuedAt.plus(security.configUrlLifetime()))) {
            return Optional.of("URL sent at " + issuedAt + " expired after " + security.configUrlLifetime());
        }
        if (security.bindToAddress() && !address.equals(boundTo)) {
            return Optional.of("URL sent to " + boundTo + ", asked for from " + address);
        }
        return Optional.empty();
    }
}
