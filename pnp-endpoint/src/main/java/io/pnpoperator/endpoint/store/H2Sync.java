package io.pnpoperator.endpoint.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.mvstore.MVStore;

/**
 * Flushes the embedded database's file to the disk ({@code fsync}). H2 writes each commit into the file before it
 * answers ({@code WRITE_DELAY=0}), which a killed process does not lose, but the operating system keeps it in its
 * page cache for up to half a minute: a power cut or a crashed host would lose it. The store calls this, through
 * {@link GroupSync}, before a router hears that its step is stored.
 */
public final class H2Sync implements Runnable {

    private final DataSource dataSource;
    /** The database's store, looked up again after H2 closed it (a full disk closes the database). */
    private volatile MVStore store;

    public H2Sync(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** What the store calls after a commit: an fsync for H2, nothing for MariaDB (InnoDB flushes its log itself). */
    public static Runnable of(DataSource dataSource) {
        return H2Files.isH2(dataSource) ? new GroupSync(new H2Sync(dataSource))::awaitDurable : () -> { };
    }

    @Override
    public void run() {
        MVStore current = store;
        if (current == null || current.isClosed()) {
            try (Connection connection = dataSource.getConnection()) {
                current = H2Files.storeOf(connection);
            } catch (SQLException e) {
                throw new IllegalStateException("no connection to the database to sync its file: " + e.getMessage(), e);
            }
            store = current;
        }
        current.getFileStore().sync();
    }
}
