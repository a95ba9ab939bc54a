package io.pnpoperator.endpoint.store;

/** Another writer changed the device since it was read: read it again and decide again. */
public class ConcurrentUpdateException extends Exception {

    public ConcurrentUpdateException(String serial) {
        super("device " + serial + " was changed by another writer");
    }
}
