package io.pnpoperator.endpoint;

/** Settings that cannot work together; the message names them and what to set. Stops the server at start. */
public class SettingException extends RuntimeException {

    public SettingException(String message) {
        super(message);
    }
}
