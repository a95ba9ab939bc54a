package io.pnpoperator.endpoint.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.sql.DataSource;

/**
 * Flushes the embedded database's write-ahead log to the disk ({@code fdatasync}). SQLite ({@code synchronous=NORMAL}
 * in WAL mode) writes each commit into its log before it returns, which a killed process does not lose, but the
 * operating system keeps it in its page cache for up to half a minute: a power cut or a crashed host would lose it.
 * The store calls this, through {@link GroupSync}, before a router hears that its step is stored; one sync then
 * serves every commit of the moment, where {@code synchronous=FULL} would sync each commit on its own while it
 * holds the database's one write lock. SQLite syncs the log itself before it copies the log into the database
 * file (a checkpoint), and the database file after, so what was synced here stays on the disk.
 */
public final class WalSync implements Runnable {

    private final Path log;

    WalSync(Path database) {
        this.log = Path.of(database + "-wal");
    }

    /** What the store calls after a commit: a sync for SQLite, nothing for MariaDB (InnoDB flushes its log itself). */
    public static Runnable of(DataSource dataSource) {
        return SqliteFile.of(dataSource).<Runnable>map(file -> new GroupSync(new WalSync(file))::awaitDurable)
                .orElse(() -> { });
    }

    /**
     * Opened for each sync: SQLite removes its log when its last connection closes (the pool replaced them all),
     * after it copied the log into the database file and synced that; a log not there has nothing to sync.
     */
    @Override
    public void run() {
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.force(false);
        } catch (NoSuchFileException folded) {
            // copied into the database file, synced by SQLite
        } catch (IOException e) {
            throw new UncheckedIOException("could not sync " + log + " to the disk: " + e.getMessage(), e);
        }
    }
}
