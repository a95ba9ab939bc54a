package io.pnpoperator.endpoint.store;

/**
 * The store could not be read or written at all (a full disk, the database or the API server away), as opposed
 * to a write refused for a newer version ({@link ConcurrentUpdateException}). Nothing was changed, unless
 * {@link #writeMayHaveLanded()}: a write was sent and its answer lost (a commit or a status write cut off), so the
 * store may hold it.
 */
public class StoreUnavailableException extends RuntimeException {

    private final boolean writeMayHaveLanded;

    public StoreUnavailableException(String what, Throwable cause) {
        this(what, cause, false);
    }

    public StoreUnavailableException(String what, Throwable cause, boolean writeMayHaveLanded) {
        super(what + " cannot be used: " + cause.getMessage(), cause);
        this.writeMayHaveLanded = writeMayHaveLanded;
    }

    /** Whether a write was sent whose outcome is not known: the store may hold it. */
    public boolean writeMayHaveLanded() {
        return writeMayHaveLanded;
    }
}
