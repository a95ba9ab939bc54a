package io.pnpoperator.endpoint.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the devices of an earlier release's embedded store (H2, {@code pnp.mv.db} beside the SQLite file) into
 * SQLite, once, at start: a lab server upgraded in place keeps every device, its history and its install slot.
 * The file is read from a copy, migrated there to the earlier release's last schema (db/migration runs on H2 too),
 * and copied in one SQLite transaction; then it is renamed {@code pnp.mv.db.imported}, kept for a rollback. A file
 * that cannot be read stops the server with its name and the reason, SQLite unchanged.
 */
public final class H2Import {

    private static final Logger log = LoggerFactory.getLogger(H2Import.class);
    /** In this order: a slot names a device. */
    static final List<String> TABLES = List.of("devices", "transitions", "install_slots", "rollouts");

    private H2Import() {
    }

    /** An earlier store that could not be imported: the server does not start (its analyzer says what to do). */
    public static final class Failure extends RuntimeException {

        private final Path file;

        Failure(Path file, Exception cause) {
            super("could not import " + file + " (an earlier release's store): " + cause.getMessage()
                    + "; nothing was imported", cause);
            this.file = file;
        }

        public Path file() {
            return file;
        }
    }

    /**
     * @param user     the datasource's user name and password, as the earlier release made its file with them
     * @return what was imported; empty when there was nothing to import
     */
    public static Optional<String> fromBeside(DataSource sqlite, String user, String password) {
        Optional<Path> database = SqliteFile.of(sqlite);
        if (database.isEmpty()) {
            return Optional.empty();
        }
        String name = database.get().getFileName().toString().replaceFirst("\\.db$", "");
        Path earlier = database.get().resolveSibling(name + ".mv.db");
        if (!Files.isRegularFile(earlier)) {
            return Optional.empty();
        }
        try (Connection target = sqlite.getConnection()) {
            if (count(target, "devices") > 0) {
                log.warn("{} (an earlier release's store) left as it is, nothing of it imported: {} holds devices "
                        + "already (imported before, or provisioned since)", earlier, database.get());
                return Optional.empty();
            }
            String imported = copy(earlier, target, user, password);
            Files.move(earlier, earlier.resolveSibling(earlier.getFileName() + ".imported"),
                    StandardCopyOption.REPLACE_EXISTING);
            String report = "imported " + imported + " from " + earlier + " (an earlier release's store) into "
                    + database.get() + "; the file is kept as " + earlier.getFileName() + ".imported";
            log.info(report);
            return Optional.of(report);
        } catch (SQLException | IOException | RuntimeException e) {
            throw new Failure(earlier, e);
        }
    }

    /** Every row of the tables, in one transaction of the target; the counts of devices and transitions. */
    private static String copy(Path earlier, Connection target, String user, String password)
            throws IOException, SQLException {
        Path copy = earlier.resolveSibling("import-" + earlier.getFileName());
        Files.copy(earlier, copy, StandardCopyOption.REPLACE_EXISTING);
        String url = "jdbc:h2:file:" + copy.toString().replaceFirst("\\.mv\\.db$", "") + ";IFEXISTS=TRUE";
        try {
            Flyway.configure().dataSource(url, user, password).locations(SchemaMigration.MARIADB).load().migrate();
            try (Connection source = new Driver().connect(url, credentials(user, password))) {
                target.setAutoCommit(false);
                try {
                    List<Long> rows = new ArrayList<>();
                    for (String table : TABLES) {
                        rows.add(copyTable(table, source, target));
                    }
                    target.commit();
                    return rows.get(0) + " devices and " + rows.get(1) + " transitions";
                } catch (SQLException | RuntimeException e) {
                    target.rollback();
                    throw e;
                } finally {
                    target.setAutoCommit(true);
                }
            }
        } finally {
            Files.deleteIfExists(copy);
            Files.deleteIfExists(copy.resolveSibling(copy.getFileName().toString().replaceFirst("\\.mv\\.db$",
                    ".trace.db")));
        }
    }

    private static long copyTable(String table, Connection source, Connection target) throws SQLException {
        long rows = 0;
        try (Statement select = source.createStatement();
             ResultSet rs = select.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData columns = rs.getMetaData();
            List<String> names = new ArrayList<>();
            for (int c = 1; c <= columns.getColumnCount(); c++) {
                names.add(columns.getColumnName(c).toLowerCase(Locale.ROOT));
            }
            try (PreparedStatement insert = target.prepareStatement("INSERT INTO " + table + " ("
                    + String.join(", ", names) + ") VALUES (" + String.join(", ", Collections.nCopies(names.size(), "?"))
                    + ")")) {
                while (rs.next()) {
                    for (int c = 1; c <= names.size(); c++) {
                        // Times as the store writes them (JdbcDeviceStore.time): a LocalDateTime in UTC.
                        insert.setObject(c, columns.getColumnType(c) == Types.TIMESTAMP
                                ? rs.getObject(c, LocalDateTime.class) : rs.getObject(c));
                    }
                    insert.addBatch();
                    rows++;
                }
                insert.executeBatch();
            }
        }
        return rows;
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Properties credentials(String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user == null ? "" : user);
        properties.setProperty("password", password == null ? "" : password);
        return properties;
    }
}
