package io.pnpoperator.endpoint.mariadb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway MariaDB server from Debian's mariadb-server package: its own data folder, port and socket,
 * with the database and user the old project's README set up ({@code pnp_db}, {@code pnp_user}). It
 * fails loudly when the server cannot start: database tests never skip.
 */
public final class MariaDb implements AutoCloseable {

    public static final String DATABASE = "pnp_db";
    public static final String USER = "pnp_user";
    public static final String PASSWORD = "pnp-secret";

    private final Path folder;
    private final int port;
    private Process server;

    private MariaDb(Path folder, int port) {
        this.folder = folder;
        this.port = port;
    }

    public static MariaDb start() {
        try {
            Path folder = Files.createTempDirectory("pnp-mariadb");
            MariaDb db = new MariaDb(folder, io.pnpoperator.endpoint.PnpServer.freePort());
            db.install();
            db.launch();
            db.sql("CREATE DATABASE " + DATABASE, "CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                    "GRANT ALL ON " + DATABASE + ".* TO '" + USER + "'@'%'");
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    /** Spring arguments that point the server at this database. */
    public String[] datasourceArgs() {
        return new String[] {"--spring.datasource.url=" + url(), "--spring.datasource.username=" + USER,
            "--spring.datasource.password=" + PASSWORD};
    }

    /** Stops the server, keeping its data; {@link #launch()} starts it again on the same port. */
    public void stop() {
        server.destroy();
        try {
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void launch() {
        List<String> command = new ArrayList<>(List.of(binary("mariadbd"), "--no-defaults",
                "--datadir=" + folder.resolve("data"), "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + folder.resolve("mariadb.sock"), "--pid-file=" + folder.resolve("mariadb.pid"),
                "--skip-log-bin", "--innodb-buffer-pool-size=64M", "--log-error=" + folder.resolve("error.log")));
        if (isRoot()) {
            command.add("--user=root");
        }
        try {
            server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(folder.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run mariadbd (install Debian's mariadb-server): " + e.getMessage(), e);
        }
        Instant until = Instant.now().plusSeconds(60);
        while (true) {
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "")) {
                return;
            } catch (SQLException notYet) {
                if (!server.isAlive() || Instant.now().isAfter(until)) {
                    throw new IllegalStateException("mariadbd did not start: " + log(), notYet);
                }
                sleep();
            }
        }
    }

    /** Runs statements as root. */
    public void sql(String... statements) {
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/", "root", "");
             Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    /** The first column of each row of a query with one parameter, as pnp_user. */
    public List<String> rows(String sql, String parameter) {
        try (Connection c = connect(); java.sql.PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            List<String> out = new ArrayList<>();
            try (java.sql.ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    private void install() throws IOException {
        List<String> command = new ArrayList<>(List.of(binary("mariadb-install-db"), "--no-defaults",
                "--datadir=" + folder.resolve("data"), "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (isRoot()) {
            command.add("--user=root");
        }
        Process install = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(folder.resolve("install.log").toFile()).start();
        try {
            if (!install.waitFor(120, TimeUnit.SECONDS) || install.exitValue() != 0) {
                throw new IllegalStateException("mariadb-install-db failed: " + Files.readString(folder.resolve("install.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String log() {
        try {
            Path error = folder.resolve("error.log");
            return Files.exists(error) ? Files.readString(error) : Files.readString(folder.resolve("stdout.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String binary(String name) {
        for (String dir : new String[] {"/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"}) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return name;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
