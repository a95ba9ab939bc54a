package io.pnpoperator.endpoint.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Creates or migrates the tables, and can be tried again after any failure. MariaDB commits each DDL
 * statement on its own, so an outage in the middle of a migration leaves some of it done and Flyway's
 * history marking it failed; every later attempt would then stop at that mark. After a failure the
 * mark is removed ({@code repair}), and as every migration may run again, the next attempt completes it.
 */
public final class SchemaMigration {

    private SchemaMigration() {
    }

    public static void migrate(DataSource dataSource) {
        migrate(Flyway.configure().dataSource(dataSource).load());
    }

    /** Also the standalone server's way to migrate at start (Spring Boot's migration strategy). */
    public static void migrate(Flyway flyway) {
        try {
            flyway.migrate();
        } catch (FlywayException e) {
            repairQuietly(flyway, e);
            throw e;
        }
    }

    private static void repairQuietly(Flyway flyway, FlywayException failure) {
        try {
            flyway.repair();
        } catch (FlywayException stillDown) {
            // The database is still away: the next attempt repairs then.
            failure.addSuppressed(stillDown);
        }
    }
}
