package io.pnpoperator.endpoint.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/** The embedded store's file, when the datasource is SQLite (MariaDB keeps its own files). */
final class SqliteFile {

    private SqliteFile() {
    }

    /** The database file under the datasource, or empty for another database (or none reachable). */
    static Optional<Path> of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (!connection.getMetaData().getDatabaseProductName().equals("SQLite")) {
                return Optional.empty();
            }
            try (Statement statement = connection.createStatement();
                 ResultSet databases = statement.executeQuery("PRAGMA database_list")) {
                while (databases.next()) {
                    if (databases.getString("name").equals("main")) {
                        return Optional.of(Path.of(databases.getString("file")));
                    }
                }
            }
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }
}
