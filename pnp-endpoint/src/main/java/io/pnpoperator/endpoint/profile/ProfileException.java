package io.pnpoperator.endpoint.profile;

/** The profile cannot be used as it is; the message says what to fix. */
public class ProfileException extends RuntimeException {

    public ProfileException(String message) {
        super(message);
    }

    public ProfileException(String message, Throwable cause) {
        super(message, cause);
    }
}
