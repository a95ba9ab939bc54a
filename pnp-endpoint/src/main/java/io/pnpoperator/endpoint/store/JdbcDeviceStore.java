package io.pnpoperator.endpoint.store;

import io.pnpoperator.endpoint.protocol.Service;
import io.pnpoperator.endpoint.workflow.Change;
import io.pnpoperator.endpoint.workflow.ConfigGrant;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.Transition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/** Devices in SQL tables (embedded SQLite by default, MariaDB when configured), migrated by Flyway. */
public class JdbcDeviceStore implements DeviceStore {

    /** The columns of each part of a device, in the order {@link #values} gives them; the serial is the key. */
    private static final List<String> IDENTITY = List.of("serial", "pid", "vid", "hostname", "ip_address",
            "first_seen", "last_contact", "profile", "udi");
    private static final List<String> PROGRESS = List.of("step", "phase", "attempts", "last_error", "step_since",
            "finished_at", "transition_count", "backoff_due", "waiting_step", "waiting_since", "in_line");
    private static final List<String> OBSERVATION = List.of("running_version", "running_image", "bootflash_free",
            "guestshell", "config_applied", "script_ran");
    private static final List<String> EXCHANGE = List.of("pending_correlator", "pending_service", "last_correlator",
            "config_token", "config_issued_at", "config_bound_to", "auth_required", "auth_challenge", "proven_as",
            "request_implied");
    private static final List<String> ALL = Stream.of(IDENTITY, PROGRESS, OBSERVATION, EXCHANGE)
            .flatMap(List::stream).toList();

    private static final String COLUMNS = String.join(", ", ALL) + ", revision";
    private static final String UPDATE = "UPDATE devices SET " + ALL.stream().skip(1).map(c -> c + " = ?")
            .collect(Collectors.joining(", ")) + ", revision = revision + 1 ";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Runnable afterFailure;
    private final Runnable durable;

    public JdbcDeviceStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this(jdbc, transactions, () -> { }, () -> { });
    }

    /**
     * @param afterFailure what the pool needs after a failure ({@link PoolReset}), so the store recovers by itself
     * @param durable      returns once what was committed is on the disk ({@link WalSync}), before a save returns
     */
    public JdbcDeviceStore(JdbcTemplate jdbc, TransactionTemplate transactions, Runnable afterFailure,
                           Runnable durable) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.afterFailure = afterFailure;
        this.durable = durable;
    }

    @Override
    public Optional<Stored> find(String serial) {
        return guarded(() -> jdbc.query("SELECT " + COLUMNS + " FROM devices WHERE serial = ?",
                (rs, n) -> new Stored(device(rs), Long.toString(rs.getLong("revision"))), serial).stream()
                .findFirst());
    }

    @Override
    public List<Device> list() {
        return guarded(() -> jdbc.query("SELECT " + COLUMNS + " FROM devices ORDER BY first_seen, serial",
                (rs, n) -> device(rs)));
    }

    /**
     * Never by a read: a database that failed a commit (a full disk) may still answer reads from its memory, with
     * the change that never reached the disk; only a write tells (FullDiskIT found a router copying a file twice).
     */
    @Override
    public boolean confirmed(Stored read) {
        return false;
    }

    @Override
    public long countInLine() {
        return guarded(() -> jdbc.queryForObject("SELECT COUNT(*) FROM devices WHERE in_line IS NOT NULL", Long.class));
    }

    @Override
    public long countIn(Phase phase) {
        return guarded(() -> jdbc.queryForObject("SELECT COUNT(*) FROM devices WHERE phase = ?", Long.class,
                phase.label()));
    }

    @Override
    public Map<Phase, Map<Step, Long>> countByPhaseAndStep() {
        return guarded(() -> {
            Map<Phase, Map<Step, Long>> counts = new EnumMap<>(Phase.class);
            jdbc.query("SELECT phase, step, COUNT(*) AS devices FROM devices GROUP BY phase, step",
                    rs -> {
                        counts.computeIfAbsent(Phase.fromLabel(rs.getString("phase")), p -> new EnumMap<>(Step.class))
                                .put(Step.valueOf(rs.getString("step")), rs.getLong("devices"));
                    });
            return counts;
        });
    }

    @Override
    public List<Transition> history(String serial) {
        return guarded(() -> jdbc.query("SELECT serial, seq, from_step, to_step, phase, work, correlator, result, "
                + "error, happened_at FROM transitions WHERE serial = ? ORDER BY seq", (rs, n) -> new Transition(
                rs.getString("serial"), rs.getLong("seq"), Step.valueOf(rs.getString("from_step")),
                Step.valueOf(rs.getString("to_step")), Phase.fromLabel(rs.getString("phase")), rs.getString("work"),
                Optional.ofNullable(rs.getString("correlator")), rs.getString("result"),
                Optional.ofNullable(rs.getString("error")), instant(rs, "happened_at")), serial));
    }

    @Override
    public void save(Optional<Stored> read, Change change) throws ConcurrentUpdateException {
        Device d = change.device();
        AtomicBoolean committing = new AtomicBoolean();
        boolean saved;
        try {
            saved = guarded(() -> {
                try {
                    return Boolean.TRUE.equals(transactions.execute(tx -> {
                        int rows = read.isEmpty() ? insert(d) : update(d, Long.parseLong(read.get().revision()));
                        if (rows == 0) {
                            tx.setRollbackOnly();
                            return false;
                        }
                        change.transitions().forEach(this::insertTransition);
                        committing.set(true);
                        return true;
                    }));
                } catch (DuplicateKeyException e) {
                    return false;
                }
            });
        } catch (StoreUnavailableException e) {
            // A failure before the commit rolled everything back, and so did a commit the database refused (the
            // embedded one, that could not write its log, rolled it back); only a commit whose
            // answer was lost with the connection to a database server may have been applied.
            throw committing.get() && connectionLost(e) ? new StoreUnavailableException("the database", e.getCause(),
                    true) : e;
        }
        if (!saved) {
            throw new ConcurrentUpdateException(d.serial());
        }
        durable.run();
    }

    /** Whether a failure is the connection's (SQLState class 08): what was sent may have been carried out. */
    private static boolean connectionLost(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs one store operation; a database that cannot be reached or written (a full disk, a server away, a
     * commit that fails) becomes {@link StoreUnavailableException}, and the pool is reset ({@link PoolReset}) so
     * the store recovers by itself once the database does.
     */
    private <T> T guarded(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DataAccessException | TransactionException e) {
            afterFailure.run();
            throw new StoreUnavailableException("the database", e);
        }
    }

    /**
     * Writes a change that was decided and stored elsewhere (the Kubernetes resources): the device row as it
     * is now, and each transition not written before. Repeating it writes nothing twice.
     */
    public void mirror(Change change) {
        Device d = change.device();
        transactions.executeWithoutResult(tx -> {
            if (jdbc.update(UPDATE + "WHERE serial = ?", updateArguments(d, d.serial())) == 0) {
                insert(d);
            }
            for (Transition t : change.transitions()) {
                Integer known = jdbc.queryForObject("SELECT COUNT(*) FROM transitions WHERE serial = ? AND seq = ?",
                        Integer.class, t.serial(), t.sequence());
                if (known == null || known == 0) {
                    insertTransition(t);
                }
            }
        });
    }

    private int insert(Device d) {
        return jdbc.update("INSERT INTO devices (" + COLUMNS + ") VALUES (" + "?, ".repeat(ALL.size()) + "0)",
                values(d));
    }

    private void insertTransition(Transition t) {
        jdbc.update("INSERT INTO transitions (serial, seq, from_step, to_step, phase, work, correlator, result, error, "
                        + "happened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", t.serial(), t.sequence(), t.from().name(),
                t.to().name(), t.phase().label(), t.work(), t.correlator().orElse(null), t.result(),
                t.error().orElse(null), time(t.at()));
    }

    private int update(Device d, long revision) {
        return jdbc.update(UPDATE + "WHERE serial = ? AND revision = ?", updateArguments(d, d.serial(), revision));
    }

    /** The UPDATE's arguments: every column but the serial (the key, first in values()), then the WHERE's. */
    private static Object[] updateArguments(Device d, Object... where) {
        Object[] values = values(d);
        Object[] arguments = new Object[values.length - 1 + where.length];
        System.arraycopy(values, 1, arguments, 0, values.length - 1);
        System.arraycopy(where, 0, arguments, values.length - 1, where.length);
        return arguments;
    }

    private static Object[] values(Device d) {
        Device.Identity i = d.identity();
        Device.Progress p = d.progress();
        Device.Observation o = d.observed();
        Device.Exchange x = d.exchange();
        return new Object[] {
            i.serial(), i.pid(), i.vid(), i.hostname(), i.ipAddress(), time(i.firstSeen()), time(i.lastContact()),
            i.profile(), i.udi(),
            p.step().name(), p.phase().label(), p.attempts(), p.lastError().orElse(null),
            time(p.stepSince()), p.finishedAt().map(JdbcDeviceStore::time).orElse(null), p.transitions(),
            p.backoffDue(),
            p.waiting().map(w -> w.command().name()).orElse(null),
            p.waiting().map(w -> time(w.since())).orElse(null),
            p.inLine().isPresent() ? p.inLine().getAsInt() : null,
            o.version().orElse(null), o.image().orElse(null),
            o.bootflashFree().isPresent() ? o.bootflashFree().getAsLong() : null, o.guestshell().orElse(null),
            o.configApplied(), o.scriptRan(),
            x.pending().map(Device.Pending::correlator).orElse(null), x.pending().map(pd -> pd.service().name()).orElse(null),
            x.lastCorrelator().orElse(null), x.configGrant().map(ConfigGrant::tokenSha256).orElse(null),
            x.configGrant().map(g -> time(g.issuedAt())).orElse(null),
            x.configGrant().map(ConfigGrant::boundTo).orElse(null), x.authRequired(), x.challenge().orElse(null),
            x.provenAs().orElse(null), x.requestImplied()};
    }

    private static Device device(ResultSet rs) throws SQLException {
        Device.Identity identity = new Device.Identity(rs.getString("serial"), rs.getString("pid"), rs.getString("vid"),
                rs.getString("hostname"), rs.getString("ip_address"), instant(rs, "first_seen"),
                instant(rs, "last_contact"), rs.getString("profile") == null ? "" : rs.getString("profile"));
        Optional<Instant> waitingSince = optionalInstant(rs, "waiting_since");
        Device.Progress progress = new Device.Progress(Step.valueOf(rs.getString("step")),
                Phase.fromLabel(rs.getString("phase")), rs.getInt("attempts"),
                Optional.ofNullable(rs.getString("last_error")), instant(rs, "step_since"),
                optionalInstant(rs, "finished_at"), rs.getLong("transition_count"), rs.getBoolean("backoff_due"),
                Optional.ofNullable(rs.getString("waiting_step"))
                        .map(step -> new Device.Waiting(Step.valueOf(step), waitingSince.orElseThrow())),
                rs.getObject("in_line") == null ? OptionalInt.empty() : OptionalInt.of(rs.getInt("in_line")));
        long free = rs.getLong("bootflash_free");
        OptionalLong bootflashFree = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(free);
        Device.Observation observed = new Device.Observation(Optional.ofNullable(rs.getString("running_version")),
                Optional.ofNullable(rs.getString("running_image")), bootflashFree,
                Optional.ofNullable(rs.getString("guestshell")), rs.getBoolean("config_applied"),
                rs.getBoolean("script_ran"));
        Device.Exchange exchange = new Device.Exchange(Optional.ofNullable(rs.getString("pending_correlator"))
                .map(c -> new Device.Pending(c, serviceOf(rs))), Optional.ofNullable(rs.getString("last_correlator")),
                configGrant(rs), rs.getBoolean("auth_required"), Optional.ofNullable(rs.getString("auth_challenge")),
                Optional.ofNullable(rs.getString("proven_as")), rs.getBoolean("request_implied"));
        return new Device(identity, progress, observed, exchange);
    }

    private static Optional<ConfigGrant> configGrant(ResultSet rs) throws SQLException {
        String sha256 = rs.getString("config_token");
        return sha256 == null ? Optional.empty() : Optional.of(new ConfigGrant(sha256, instant(rs, "config_issued_at"),
                rs.getString("config_bound_to")));
    }

    private static Service serviceOf(ResultSet rs) {
        try {
            return Service.valueOf(rs.getString("pending_service"));
        } catch (SQLException e) {
            throw new IllegalStateException("unreadable pending_service", e);
        }
    }

    /**
     * A time as the tables keep it: UTC, without a zone, to the millisecond (MariaDB's DATETIME(3); SQLite keeps the
     * text, and the same precision everywhere keeps its order the times' order).
     */
    static LocalDateTime time(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MILLIS), ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return optionalInstant(rs, column).orElseThrow();
    }

    /**
     * A time column: SQLite gives back the text {@link #time} wrote, parsed here — its driver, asked for a
     * LocalDateTime, first tries another format and throws, an exception for each time read; MariaDB gives a
     * DATETIME.
     */
    private static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        if (value == null) {
            return Optional.empty();
        }
        LocalDateTime time = value instanceof String text ? LocalDateTime.parse(text)
                : rs.getObject(column, LocalDateTime.class);
        return Optional.of(time.toInstant(ZoneOffset.UTC));
    }

}
