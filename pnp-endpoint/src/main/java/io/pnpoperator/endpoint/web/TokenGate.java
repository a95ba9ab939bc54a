package io.pnpoperator.endpoint.web;

import io.pnpoperator.endpoint.SettingException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The standalone server's admin API: open on loopback (the default address: only this machine reaches it), and
 * behind a token as soon as one is set — which it must be when the admin port binds beyond loopback. The token
 * comes as {@code Authorization: Bearer <token>}, or as the password of HTTP Basic (any user name) for tools that
 * only speak that.
 */
public final class TokenGate implements AdminGate {

    private final Optional<byte[]> token;

    private TokenGate(Optional<byte[]> token) {
        this.token = token;
    }

    /**
     * @throws SettingException when {@code adminAddress} is reachable from other machines and no token is set
     */
    public static TokenGate of(String adminAddress, Optional<String> token) {
        Optional<String> set = token.filter(t -> !t.isBlank());
        if (set.isEmpty() && !loopback(adminAddress)) {
            throw new SettingException("pnp.admin-address=" + adminAddress + " makes the admin API (moving "
                    + "devices, reading every router's state) reachable from other machines: set pnp.admin.token "
                    + "(PNP_ADMIN_TOKEN) too, or keep the address on loopback");
        }
        return new TokenGate(set.map(t -> t.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public Verdict decide(Optional<String> authorization, String method, String path) {
        if (token.isEmpty()) {
            return Verdict.allowed("admin-api (loopback)");
        }
        Optional<String> given = authorization.flatMap(TokenGate::credential);
        if (given.isEmpty()) {
            return Verdict.unknown("the admin API needs the admin token: Authorization: Bearer <pnp.admin.token>");
        }
        return MessageDigest.isEqual(given.get().getBytes(StandardCharsets.UTF_8), token.get()) ? Verdict.allowed("admin-api (admin token)")
                : Verdict.unknown("not the admin token");
    }

    /** The token of a Bearer header, or the password of a Basic one. */
    private static Optional<String> credential(String header) {
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(header.substring(7).trim());
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                return colon < 0 ? Optional.empty() : Optional.of(pair.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
