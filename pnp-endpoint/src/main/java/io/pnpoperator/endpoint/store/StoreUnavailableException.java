package io.pnpoperator.endpoint.store;

/**
 * The store could not be read or written at all (a full disk, the database or the API server away), as opposed
 * to a write refused for a newer version ({@link ConcurrentUpdateException}). Nothing was changed; the caller
 * answers 503 and the device tries again.
 */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String what, Throwable cause) {
        super(what + " cannot be used: " + cause.getMessage(), cause);
    }
}
