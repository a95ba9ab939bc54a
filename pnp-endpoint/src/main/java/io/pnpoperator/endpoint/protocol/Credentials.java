package io.pnpoperator.endpoint.protocol;

import java.util.Objects;

/**
 * The device's own login, sent as {@code usr}/{@code pwd} on the server's messages to a device that asks for it
 * ({@code authRequired}). Never printed: {@link #toString()} hides the password.
 */
public record Credentials(String username, String password) {

    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=(hidden)]";
    }
}
