package io.pnpoperator.endpoint.store;

import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The store's transactions. SQLite lets one transaction write at a time, and one that finds the database taken
 * sleeps and tries again (its busy handler: 1, 2, 5, 10… ms); with 50 routers in flight that was two sleeps a router
 * message, and its driver begins the next transaction at each commit, taking the lock once more. Here the server's
 * own transactions wait for one another on a lock in the JVM, woken when it is free; SQLite's wait is left for other
 * processes and the few writes outside a transaction (the health check's). The lock is not fair: a transaction that
 * comes as it is released takes it, so fewer threads are switched — strict turns cost 15 % more CPU a router message
 * and twice the syncs of the log (docs/benchmarks.md). MariaDB locks rows: its transactions run side by side.
 */
public final class WriteTransactions {

    private WriteTransactions() {
    }

    public static TransactionTemplate of(PlatformTransactionManager transactions, DataSource dataSource) {
        return SqliteFile.of(dataSource).isPresent() ? new InTurn(transactions) : new TransactionTemplate(transactions);
    }

    private static final class InTurn extends TransactionTemplate {

        private final ReentrantLock turn = new ReentrantLock();

        InTurn(PlatformTransactionManager transactions) {
            super(transactions);
        }

        @Override
        public <T> T execute(TransactionCallback<T> action) throws TransactionException {
            turn.lock();
            try {
                return super.execute(action);
            } finally {
                turn.unlock();
            }
        }
    }
}
