import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Random;

/**
 * Benchmark helper (not part of the build): what one router message costs the store, by engine. Each
 * transaction is what the server does for a message: read a device row (25 columns), write it back under its
 * revision, add a transition every other time, commit; 2,000 devices with 25 transitions each are there first.
 * Prints the CPU time (user and system, this thread, where the engines do their work) and the wall time a
 * transaction, after a first pass that warms the JIT. Usage: java -cp h2.jar:sqlite-jdbc.jar
 * bench/StoreCommit.java FOLDER
 */
public class StoreCommit {

    private static final String COLUMNS = "pid,vid,hostname,ip_address,step,phase,attempts,last_error,first_seen,"
            + "last_contact,step_since,finished_at,running_version,running_image,bootflash_free,guestshell,"
            + "config_applied,script_ran,pending_correlator,pending_service,last_correlator,config_token,"
            + "transition_count";
    private static final int DEVICES = 2000;
    private static final int TRANSACTIONS = 20000;

    /** An engine as the server would open it, and what makes a commit durable after it, if anything. */
    record Engine(String name, String url, String file, boolean fsyncAfterCommit) {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        Engine[] engines = {
            new Engine("H2, WRITE_DELAY=0 (page cache)", "jdbc:h2:file:" + folder + "/h2a;WRITE_DELAY=0;RETENTION_TIME=1000",
                    "h2a.mv.db", false),
            new Engine("H2, WRITE_DELAY=0, fsync a commit", "jdbc:h2:file:" + folder
                    + "/h2b;WRITE_DELAY=0;RETENTION_TIME=1000", "h2b.mv.db", true),
            new Engine("SQLite WAL, synchronous=NORMAL (page cache)", "jdbc:sqlite:" + folder
                    + "/a.db?journal_mode=WAL&synchronous=NORMAL", "a.db-wal", false),
            new Engine("SQLite WAL, NORMAL, fsync a commit", "jdbc:sqlite:" + folder
                    + "/b.db?journal_mode=WAL&synchronous=NORMAL", "b.db-wal", true),
            new Engine("SQLite WAL, synchronous=FULL", "jdbc:sqlite:" + folder + "/c.db?journal_mode=WAL&synchronous=FULL",
                    "c.db-wal", false),
        };
        System.out.printf("%-44s %14s %14s%n", "engine", "CPU/txn", "wall/txn");
        for (Engine engine : engines) {
            run(engine, folder);
        }
    }

    private static void run(Engine engine, Path folder) throws Exception {
        try (Connection c = DriverManager.getConnection(engine.url())) {
            create(c);
            c.setAutoCommit(false);
            load(c);
            FileChannel file = engine.fsyncAfterCommit()
                    ? FileChannel.open(folder.resolve(engine.file()), StandardOpenOption.READ) : null;
            PreparedStatement read = c.prepareStatement("SELECT serial," + COLUMNS + ",revision FROM devices WHERE serial = ?");
            PreparedStatement write = c.prepareStatement("UPDATE devices SET " + COLUMNS.replace(",", " = ?,")
                    + " = ?, revision = ? WHERE serial = ? AND revision = ?");
            PreparedStatement transition = c.prepareStatement("INSERT INTO transitions VALUES (?,?,?,?,?,?,?,?,?,?)");
            long[] revision = new long[DEVICES];
            long[] sequence = new long[DEVICES];
            java.util.Arrays.fill(sequence, 25);
            Random random = new Random(1);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double cpu = 0;
            double wall = 0;
            for (int pass = 0; pass < 2; pass++) {
                long cpuStart = threads.getCurrentThreadCpuTime();
                long wallStart = System.nanoTime();
                for (int i = 0; i < TRANSACTIONS; i++) {
                    int d = random.nextInt(DEVICES);
                    String serial = "FGL" + d;
                    read.setString(1, serial);
                    try (ResultSet row = read.executeQuery()) {
                        row.next();
                        for (int k = 1; k <= 25; k++) {
                            row.getObject(k);
                        }
                    }
                    columns(write, 0, serial);
                    write.setLong(24, revision[d] + 1);
                    write.setString(25, serial);
                    write.setLong(26, revision[d]);
                    if (write.executeUpdate() != 1) {
                        throw new IllegalStateException("revision of " + serial);
                    }
                    revision[d]++;
                    if (i % 2 == 0) {
                        transition(transition, serial, sequence[d]++);
                        transition.executeUpdate();
                    }
                    c.commit();
                    if (file != null) {
                        file.force(false);
                    }
                }
                cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e3 / TRANSACTIONS;
                wall = (System.nanoTime() - wallStart) / 1e3 / TRANSACTIONS;
            }
            System.out.printf("%-44s %11.1f us %11.1f us%n", engine.name(), cpu, wall);
            if (file != null) {
                file.close();
            }
        }
    }

    private static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE devices (serial VARCHAR(32) NOT NULL PRIMARY KEY, pid VARCHAR(64) NOT NULL, "
                    + "vid VARCHAR(16), hostname VARCHAR(255), ip_address VARCHAR(64), step VARCHAR(32), phase VARCHAR(16), "
                    + "attempts INT, last_error VARCHAR(2000), first_seen TIMESTAMP, last_contact TIMESTAMP, "
                    + "step_since TIMESTAMP, finished_at TIMESTAMP, running_version VARCHAR(64), running_image VARCHAR(255), "
                    + "bootflash_free BIGINT, guestshell VARCHAR(32), config_applied BOOLEAN, script_ran BOOLEAN, "
                    + "pending_correlator VARCHAR(255), pending_service VARCHAR(32), last_correlator VARCHAR(255), "
                    + "config_token VARCHAR(64), transition_count BIGINT, revision BIGINT)");
            s.execute("CREATE INDEX devices_by_phase ON devices (phase)");
            s.execute("CREATE TABLE transitions (serial VARCHAR(32) NOT NULL, seq BIGINT NOT NULL, from_step VARCHAR(32), "
                    + "to_step VARCHAR(32), phase VARCHAR(16), work VARCHAR(32), correlator VARCHAR(255), "
                    + "result VARCHAR(16), error VARCHAR(2000), happened_at TIMESTAMP, PRIMARY KEY (serial, seq))");
        }
    }

    private static void load(Connection c) throws SQLException {
        PreparedStatement device = c.prepareStatement("INSERT INTO devices (serial," + COLUMNS + ",revision) VALUES (?"
                + ",?".repeat(24) + ")");
        PreparedStatement transition = c.prepareStatement("INSERT INTO transitions VALUES (?,?,?,?,?,?,?,?,?,?)");
        for (int d = 0; d < DEVICES; d++) {
            device.setString(1, "FGL" + d);
            columns(device, 1, "FGL" + d);
            device.setLong(25, 0);
            device.executeUpdate();
            for (int t = 0; t < 25; t++) {
                transition(transition, "FGL" + d, t);
                transition.executeUpdate();
            }
            c.commit();
        }
    }

    /** The 23 columns after the serial, from parameter {@code offset + 1}: strings, numbers, flags and times. */
    private static void columns(PreparedStatement statement, int offset, String serial) throws SQLException {
        for (int column = 1; column <= 23; column++) {
            int p = offset + column;
            switch (column) {
                case 7, 15, 23 -> statement.setLong(p, 12345);
                case 17, 18 -> statement.setBoolean(p, true);
                case 9, 10, 11, 12 -> statement.setTimestamp(p, new Timestamp(System.currentTimeMillis()));
                default -> statement.setString(p, "value-" + column + "-" + serial);
            }
        }
    }

    private static void transition(PreparedStatement statement, String serial, long sequence) throws SQLException {
        statement.setString(1, serial);
        statement.setLong(2, sequence);
        statement.setString(3, "CHECK_IMAGE_VER");
        statement.setString(4, "UPGRADE_NEEDED");
        statement.setString(5, "provisioning");
        statement.setString(6, "device-info");
        statement.setString(7, "correlator-" + sequence);
        statement.setString(8, "success");
        statement.setString(9, null);
        statement.setTimestamp(10, new Timestamp(System.currentTimeMillis()));
    }
}
