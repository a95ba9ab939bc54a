package io.pnpoperator.endpoint.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes committed writes durable in groups. A caller returns once a sync that began after it called has succeeded,
 * so what it committed before is on the disk; callers arriving while a sync runs share the next one. With many
 * routers in flight one sync serves the commits of a moment.
 */
public final class GroupSync {

    private final Runnable sync;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finishedOne = lock.newCondition();
    private long started;
    private long finished;
    private boolean running;
    private long lastFailed;
    private RuntimeException lastFailure;

    /** @param sync writes everything written so far to the disk (an fsync); throws when it cannot */
    public GroupSync(Runnable sync) {
        this.sync = sync;
    }

    /**
     * Returns once everything committed before this call is on the disk.
     *
     * @throws StoreUnavailableException when the sync that was to cover it failed: the commit was made, and may
     *                                   or may not survive a power cut
     */
    public void awaitDurable() {
        lock.lock();
        try {
            // A sync running now may have begun before the caller's commit: the next one covers it.
            long needed = started + 1;
            while (finished < needed) {
                if (running) {
                    finishedOne.awaitUninterruptibly();
                    continue;
                }
                running = true;
                long mine = ++started;
                RuntimeException failure = null;
                lock.unlock();
                try {
                    sync.run();
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    lock.lock();
                }
                running = false;
                finished = mine;
                if (failure != null) {
                    lastFailed = mine;
                    lastFailure = failure;
                }
                finishedOne.signalAll();
            }
            // A later failure may be reported to a caller whose sync succeeded (safe: it tries again); a failed
            // sync is never reported as a success, since Linux may drop the pages an fsync failed to write.
            if (lastFailed >= needed) {
                throw new StoreUnavailableException("the database file's sync to disk", lastFailure, true);
            }
        } finally {
            lock.unlock();
        }
    }
}
