package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A transition a person made names them in its result (kubectl-patch, a Kubernetes user, the admin API), longer
 * than the outcomes of router messages the column was sized for. H2 and MariaDB have no common way to widen a
 * column, hence Java (in Flyway's package for it) rather than SQL; it may run again, as every migration here.
 */
public class V7__who_moved_a_device extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        boolean h2 = context.getConnection().getMetaData().getDatabaseProductName().startsWith("H2");
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute(h2 ? "ALTER TABLE transitions ALTER COLUMN result SET DATA TYPE VARCHAR(255)"
                    : "ALTER TABLE transitions MODIFY COLUMN result VARCHAR(255) NOT NULL");
        }
    }
}
