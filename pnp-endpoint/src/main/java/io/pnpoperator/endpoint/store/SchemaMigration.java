package io.pnpoperator.endpoint.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Creates or migrates the tables, and can be tried again after any failure. MariaDB commits each DDL
 * statement on its own, so an outage in the middle of a migration leaves some of it done and Flyway's
 * history marking it failed; every later attempt would then stop at that mark. After a failure the
 * mark is removed ({@code repair}), and as every migration may run again, the next attempt completes it.
 * The embedded store (SQLite) has migrations of its own ({@code db/sqlite}): its DDL is SQLite's.
 */
public final class SchemaMigration {

    static final String MARIADB = "classpath:db/migration";
    static final String SQLITE = "classpath:db/sqlite";

    private SchemaMigration() {
    }

    public static void migrate(DataSource dataSource) {
        migrate(Flyway.configure().dataSource(dataSource).load());
    }

    /** Also the standalone server's way to migrate at start (Spring Boot's migration strategy). */
    public static void migrate(Flyway configured) {
        DataSource dataSource = configured.getConfiguration().getDataSource();
        Flyway flyway = Flyway.configure().configuration(configured.getConfiguration())
                .locations(SqliteFile.of(dataSource).isPresent() ? SQLITE : MARIADB).load();
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
