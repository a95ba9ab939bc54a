package io.pnpoperator.endpoint.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Commits made durable in groups: never a return before a sync that covers the caller's commit. */
class GroupSyncTest {

    @Test
    void everyCallerReturnsOnlyOnceASyncThatBeganAfterItsCommitHasFinished() throws Exception {
        Set<Integer> committed = ConcurrentHashMap.newKeySet();
        Set<Integer> onDisk = ConcurrentHashMap.newKeySet();
        AtomicInteger syncs = new AtomicInteger();
        GroupSync group = new GroupSync(() -> {
            List<Integer> covered = new ArrayList<>(committed); // what a real fsync would write: all written so far
            syncs.incrementAndGet();
            Thread.yield();
            onDisk.addAll(covered);
        });
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> callers = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            int commit = i;
            callers.add(pool.submit(() -> {
                committed.add(commit);
                group.awaitDurable();
                assertThat(onDisk).as("commit %d on the disk when its caller returns", commit).contains(commit);
            }));
        }
        for (Future<?> caller : callers) {
            caller.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        System.out.printf("4000 commits from 16 threads made durable by %d syncs%n", syncs.get());
    }

    @Test
    void callersArrivingDuringASyncShareTheNextOne() throws Exception {
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        AtomicInteger syncs = new AtomicInteger();
        GroupSync group = new GroupSync(() -> {
            if (syncs.incrementAndGet() == 1) {
                awaitUninterruptibly(firstMayFinish);
            }
        });
        Thread first = new Thread(group::awaitDurable);
        first.start();
        awaitTrue(() -> syncs.get() == 1);
        List<Thread> later = startWaiting(group, 15);

        firstMayFinish.countDown();
        first.join();
        for (Thread t : later) {
            t.join();
        }
        assertThat(syncs.get()).as("one sync for the first caller, one for the fifteen that came during it")
                .isEqualTo(2);
    }

    @Test
    void aFailedSyncFailsEveryCallerItWasToCoverAndNoneItWasNot() throws Exception {
        CountDownLatch firstMayFinish = new CountDownLatch(1);
        AtomicInteger syncs = new AtomicInteger();
        GroupSync group = new GroupSync(() -> {
            int number = syncs.incrementAndGet();
            if (number == 1) {
                awaitUninterruptibly(firstMayFinish);
            } else if (number == 2) {
                throw new IllegalStateException("Input/output error");
            }
        });
        Thread first = new Thread(group::awaitDurable);
        first.start();
        awaitTrue(() -> syncs.get() == 1);
        Set<Throwable> failures = ConcurrentHashMap.newKeySet();
        List<Thread> later = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Thread t = new Thread(() -> {
                try {
                    group.awaitDurable();
                } catch (StoreUnavailableException e) {
                    failures.add(e);
                }
            });
            t.start();
            later.add(t);
        }
        awaitTrue(() -> later.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        firstMayFinish.countDown();
        first.join();
        for (Thread t : later) {
            t.join();
        }
        assertThat(failures).hasSize(3).allSatisfy(e -> {
            assertThat(((StoreUnavailableException) e).writeMayHaveLanded()).isTrue();
            assertThat(e).hasMessageContaining("Input/output error");
        });
        group.awaitDurable(); // the third sync succeeds: a new caller is not failed by the old failure
        assertThat(syncs.get()).isEqualTo(3);
    }

    private static List<Thread> startWaiting(GroupSync group, int callers) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Thread t = new Thread(group::awaitDurable);
            t.start();
            threads.add(t);
        }
        awaitTrue(() -> threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING));
        return threads;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(until);
            Thread.sleep(5);
        }
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
