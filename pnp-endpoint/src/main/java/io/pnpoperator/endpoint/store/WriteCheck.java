package io.pnpoperator.endpoint.store;

import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Whether the database takes a write now: one row updated. A full disk, a read-only file system or a database
 * that closed itself after an I/O error still answers reads, so a read ({@code SELECT 1}) would say UP while every
 * device write fails. DOWN takes the server out of its Service's endpoints (readiness) and shows on
 * {@code /actuator/health}; after a failure the pool's connections are replaced, so the store recovers by itself
 * once the cause is gone.
 */
public final class WriteCheck implements HealthIndicator {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Runnable afterFailure;

    /** @param afterFailure replaces the pool's connections: one broken by the failure is not given out again */
    public WriteCheck(JdbcTemplate jdbc, Clock clock, Runnable afterFailure) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.afterFailure = afterFailure;
    }

    @Override
    public Health health() {
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
}
