package io.pnpoperator.endpoint.store;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/**
 * What the store does to the pool after a failed write. The connections to a MariaDB server that failed (restarted,
 * or cut off) may be broken: they are replaced as they come back, so that none is given out again. A SQLite connection is as good after a failed write (a full disk) as before — the transaction was
 * rolled back — and one opened while the disk is full may fail to open: those are kept (FullDiskIT: replacing them
 * left every write waiting for a connection for the pool's whole timeout).
 */
public final class PoolReset {

    private PoolReset() {
    }

    public static Runnable of(DataSource dataSource) {
        if (SqliteFile.of(dataSource).isPresent()) {
            return () -> { };
        }
        return () -> {
            if (dataSource instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null) {
                pool.getHikariPoolMXBean().softEvictConnections();
            }
        };
    }
}
