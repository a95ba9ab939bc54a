package io.pnpoperator.endpoint.store;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Whether the database takes a write now: one row updated. A full disk, a read-only file system or a database
 * that closed itself after an I/O error still answers reads, so a read ({@code SELECT 1}) would say UP while every
 * device write fails. DOWN takes the server out of its Service's endpoints (readiness) and shows on
 * {@code /actuator/health}; after a failure the pool is reset ({@link PoolReset}), so the store recovers by itself
 * once the cause is gone.
 *
 * <p>The write is tried in the background, once at start and then every {@code every}; a probe reads the latest
 * verdict at once. A broken database can make a write wait for a connection for seconds, longer than a probe waits:
 * the probe must not.
 */
public final class WriteCheck implements HealthIndicator, AutoCloseable {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Runnable afterFailure;
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pnp-store-check");
        t.setDaemon(true);
        return t;
    });
    private volatile Health verdict;

    /** @param afterFailure what the pool needs after a failure ({@link PoolReset}) */
    public WriteCheck(JdbcTemplate jdbc, Clock clock, Runnable afterFailure, Duration every) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.afterFailure = afterFailure;
        this.verdict = tryWrite();
        checker.scheduleWithFixedDelay(() -> verdict = tryWrite(), every.toMillis(), every.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public Health health() {
        return verdict;
    }

    private Health tryWrite() {
        Timestamp now = Timestamp.from(clock.instant());
        try {
            if (jdbc.update("UPDATE store_heartbeat SET checked_at = ? WHERE id = 1", now) == 0) {
                jdbc.update("INSERT INTO store_heartbeat (id, checked_at) VALUES (1, ?)", now);
            }
            return Health.up().build();
        } catch (DataAccessException e) {
            afterFailure.run();
            return Health.down().withDetail("reason", "the device store cannot be written").build();
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
