package io.pnpoperator.endpoint.store;

import io.pnpoperator.endpoint.workflow.Change;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies every stored change (in Kubernetes mode: each PnpDevice status write) into the SQL tables, in
 * the background. The device dialog only offers a change to a bounded queue and never waits: while the
 * database is down, one worker retries the oldest change with backoff, so changes are written in the
 * order they were made; writes are keyed by serial and sequence, so a repeat writes nothing twice. When
 * the queue overflows, later changes are dropped and, once the database answers and the queue is empty,
 * the current state of every device is written again from the resources (their latest transitions).
 */
public final class HistoryMirror implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HistoryMirror.class);

    private final JdbcDeviceStore database;
    private final Runnable prepare;
    private final Supplier<List<Change>> currentState;
    private final Duration maxBackoff;
    private final BlockingQueue<Change> queue;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private final AtomicInteger writing = new AtomicInteger();
    private final Thread worker;
    private volatile boolean open = true;

    /**
     * @param prepare      creates or migrates the tables; retried like a write until the database answers
     * @param currentState every device with its recent transitions, for the re-sync after an overflow
     */
    public HistoryMirror(JdbcDeviceStore database, Runnable prepare, Supplier<List<Change>> currentState, int capacity,
                         Duration maxBackoff) {
        this.database = database;
        this.prepare = prepare;
        this.currentState = currentState;
        this.maxBackoff = maxBackoff;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.worker = new Thread(this::run, "pnp-history-mirror");
        worker.setDaemon(true);
        worker.start();
    }

    /** Offers a change; never blocks. */
    public void record(Change change) {
        if (!queue.offer(change) && overflowed.compareAndSet(false, true)) {
            log.warn("history mirror queue full ({} changes): new changes are dropped until the database answers, "
                    + "then every device is re-synced from its resource", queue.size());
        }
    }

    /** Changes waiting or being written. */
    public int backlog() {
        return queue.size() + writing.get();
    }

    private void run() {
        retrying("prepare the tables", prepare);
        while (open) {
            try {
                Change next = queue.take();
                writing.incrementAndGet();
                try {
                    retrying("write " + next.device().serial(), () -> database.mirror(next));
                } finally {
                    writing.decrementAndGet();
                }
                if (queue.isEmpty() && overflowed.compareAndSet(true, false)) {
                    List<Change> devices = currentState.get();
                    log.info("history mirror: re-syncing {} devices after an overflow", devices.size());
                    devices.forEach(d -> retrying("re-sync " + d.device().serial(), () -> database.mirror(d)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void retrying(String what, Runnable write) {
        Duration backoff = Duration.ofMillis(100);
        while (open) {
            try {
                write.run();
                return;
            } catch (RuntimeException e) {
                log.warn("history mirror could not {} ({}); retrying in {} ms", what, e.getMessage(), backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    @Override
    public void close() {
        open = false;
        worker.interrupt();
    }
}
