package io.pnpoperator.endpoint.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/** The embedded database's store under a JDBC connection, for what SQL cannot ask of it (compaction, sync). */
final class H2Files {

    private H2Files() {
    }

    static boolean isH2(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isWrapperFor(JdbcConnection.class);
        } catch (SQLException e) {
            return false;
        }
    }

    static MVStore storeOf(Connection connection) throws SQLException {
        return ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore()
                .getMvStore();
    }
}
