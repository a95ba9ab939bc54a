package io.pnpoperator.endpoint.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded database file proportional to its data. H2 compacts its file in a background writer that
 * runs only when commits are delayed; the server writes every commit before it answers ({@code WRITE_DELAY=0}),
 * so without this the file grows with every commit: 1.1 GB for 10,300 routers whose data is a few MB
 * (docs/benchmarks.md). Every few seconds the chunks that are mostly stale are rewritten, a bounded amount at a
 * time, while commits go on.
 */
public final class H2Compaction implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(H2Compaction.class);
    /** Chunks less full than this are rewritten. */
    static final int TARGET_FILL_PERCENT = 80;
    /** At most this much is rewritten a run, so a run never holds commits up for long. */
    static final int MOST_BYTES_A_RUN = 16 << 20;

    private final DataSource dataSource;
    private final ScheduledExecutorService runs = Executors.newSingleThreadScheduledExecutor(job -> {
        Thread thread = new Thread(job, "h2-compaction");
        thread.setDaemon(true);
        return thread;
    });

    /** Runs every {@code every} when the database is H2; does nothing for another (MariaDB keeps its own files). */
    public H2Compaction(DataSource dataSource, Duration every) {
        this.dataSource = dataSource;
        if (H2Files.isH2(dataSource)) {
            runs.scheduleWithFixedDelay(this::compact, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One run: rewrites mostly stale chunks; a failure (the disk full, say) waits for the next run. */
    void compact() {
        try (Connection connection = dataSource.getConnection()) {
            H2Files.storeOf(connection).compact(TARGET_FILL_PERCENT, MOST_BYTES_A_RUN);
        } catch (SQLException | RuntimeException e) {
            log.debug("compaction run skipped: {}", e.toString());
        }
    }

    @Override
    public void close() {
        runs.shutdownNow();
    }
}
