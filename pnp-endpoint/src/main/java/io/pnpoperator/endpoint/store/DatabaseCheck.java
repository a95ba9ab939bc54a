package io.pnpoperator.endpoint.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Properties;

/**
 * {@code --check-db}: connects with the configured datasource and says, in one line, that it works or
 * what to fix — as the old project's test_db_connection.py did, with the causes people actually meet.
 */
public final class DatabaseCheck {

    /** The outcome, ready to print. */
    public record Result(boolean ok, String message) {
    }

    static final int ACCESS_DENIED = 1045;
    static final int DATABASE_ACCESS_DENIED = 1044;
    static final int HOST_NOT_ALLOWED = 1130;
    static final int UNKNOWN_DATABASE = 1049;
    static final int CONNECT_TIMEOUT_MS = 5000;

    private DatabaseCheck() {
    }

    public static Result check(String url, String user, String password) {
        Properties credentials = new Properties();
        credentials.setProperty("user", user == null ? "" : user);
        credentials.setProperty("password", password == null ? "" : password);
        credentials.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_MS));
        String product = url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:") ? "MariaDB"
                : url.startsWith(SqliteFile.URL_PREFIX) ? "SQLite" : "Database";
        try {
            SqliteFile.makeFolderOf(url);
        } catch (IOException e) {
            return new Result(false, product + " connection failed: the folder of its file cannot be made: " + e
                    + " [" + url + "]");
        }
        try (Connection connection = DriverManager.getConnection(url, credentials)) {
            return new Result(true, product + " connection is successful: " + url + " as '" + user + "' (server "
                    + connection.getMetaData().getDatabaseProductVersion() + ")");
        } catch (SQLException e) {
            return new Result(false, product + " connection failed: " + cause(e, user) + " [" + url + "]");
        }
    }

    private static String cause(SQLException e, String user) {
        if (e.getErrorCode() == ACCESS_DENIED) {
            return "access denied for user '" + user + "': check spring.datasource.username and spring.datasource.password";
        }
        if (e.getErrorCode() == HOST_NOT_ALLOWED) {
            return "host not allowed: '" + user + "' may not connect from this machine (GRANT ... TO '" + user
                    + "'@'<this host>')";
        }
        if (e.getErrorCode() == DATABASE_ACCESS_DENIED) {
            return "no access to the database: it does not exist, or '" + user + "' has no GRANT on it ("
                    + firstLine(e.getMessage()) + ")";
        }
        if (e.getErrorCode() == UNKNOWN_DATABASE) {
            return "unknown database: " + firstLine(e.getMessage()) + " (CREATE DATABASE it, or fix the URL)";
        }
        if (e instanceof SQLNonTransientConnectionException || (e.getSQLState() != null && e.getSQLState().startsWith("08"))) {
            return "cannot connect: " + firstLine(e.getMessage()) + " (is the server running, and is the port open?)";
        }
        return firstLine(e.getMessage()) + " (error " + e.getErrorCode() + ", SQL state " + e.getSQLState() + ")";
    }

    private static String firstLine(String text) {
        String message = text == null ? "" : text;
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
