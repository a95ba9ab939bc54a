package io.pnpoperator.endpoint.store;

import io.pnpoperator.endpoint.provisioning.InstallSlots;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Install slots in the database: one transaction per admission that first locks the profile's row in
 * {@code rollouts}, so admissions of one profile run one after the other whichever server makes them, then frees the
 * slots of devices that no longer hold them ({@link InstallSlots#holds}), then takes one if fewer than the limit are
 * taken.
 */
public final class JdbcInstallSlots implements InstallSlots {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    /**
     * Locks the profile's row for the transaction. SQLite has no row locks ({@code FOR UPDATE}), and needs none: its
     * transactions begin by taking the database's one write lock ({@code transaction_mode=IMMEDIATE}).
     */
    private final String lockRow;

    public JdbcInstallSlots(JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.lockRow = "SELECT profile FROM rollouts WHERE profile = ?"
                + (SqliteFile.of(jdbc.getDataSource()).isPresent() ? "" : " FOR UPDATE");
    }

    @Override
    public Admission admit(String profile, String serial, int limit, Instant now) {
        try {
            lockRowOf(profile);
            return transactions.execute(tx -> {
                jdbc.queryForList(lockRow, String.class, profile);
                List<String> holders = new ArrayList<>();
                List<String> freed = new ArrayList<>();
                jdbc.query("SELECT s.serial, s.taken_at, d.step, d.phase FROM install_slots s LEFT JOIN devices d "
                        + "ON d.serial = s.serial WHERE s.profile = ?", rs -> {
                            boolean holds = InstallSlots.holds(Optional.ofNullable(rs.getString("step")).map(Step::valueOf),
                                    Optional.ofNullable(rs.getString("phase")).map(Phase::fromLabel),
                                    JdbcDeviceStore.instant(rs, "taken_at"), now);
                            (holds ? holders : freed).add(rs.getString("serial"));
                        }, profile);
                freed.forEach(gone -> jdbc.update("DELETE FROM install_slots WHERE profile = ? AND serial = ?",
                        profile, gone));
                if (holders.contains(serial)) {
                    return new Admitted();
                }
                if (holders.size() < limit) {
                    jdbc.update("INSERT INTO install_slots (profile, serial, taken_at) VALUES (?, ?, ?)", profile,
                            serial, JdbcDeviceStore.time(now));
                    return new Admitted();
                }
                List<String> waiting = jdbc.queryForList("SELECT serial FROM devices WHERE profile = ? AND step = "
                        + "'UPGRADE_NEEDED' AND serial NOT IN (SELECT serial FROM install_slots WHERE profile = ?) "
                        + "ORDER BY step_since, serial", String.class, profile, profile);
                int ahead = waiting.indexOf(serial);
                return new InLine(ahead < 0 ? waiting.size() + 1 : ahead + 1, holders.size());
            });
        } catch (DataAccessException | TransactionException e) {
            throw new StoreUnavailableException("the database", e);
        }
    }

    /** The row admissions of the profile lock; made by the first of them (a second maker finds it there). */
    private void lockRowOf(String profile) {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM rollouts WHERE profile = ?", Integer.class, profile) == 0) {
            try {
                jdbc.update("INSERT INTO rollouts (profile) VALUES (?)", profile);
            } catch (DuplicateKeyException e) {
                // made by another admission meanwhile: the row is there
            }
        }
    }
}
