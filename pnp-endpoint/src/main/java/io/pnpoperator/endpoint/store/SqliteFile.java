package io.pnpoperator.endpoint.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;

/** The embedded store's file, when the datasource is SQLite (MariaDB keeps its own files). */
public final class SqliteFile {

    static final String URL_PREFIX = "jdbc:sqlite:";

    private SqliteFile() {
    }

    /**
     * Makes the folder of the file a SQLite URL names (SQLite makes the file, not the folders above it), as the
     * server does before it opens its store and {@code --check-db} before it connects; nothing for another URL.
     */
    public static void makeFolderOf(String url) throws IOException {
        if (url != null && url.startsWith(URL_PREFIX)) {
            Files.createDirectories(Path.of(url.substring(URL_PREFIX.length()).replaceFirst("\\?.*", ""))
                    .toAbsolutePath().getParent());
        }
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
