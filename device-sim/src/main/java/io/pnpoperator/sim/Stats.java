package io.pnpoperator.sim;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/** Exchange latencies and bytes, shared by every simulated device of a run. Thread-safe. */
public final class Stats {

    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong httpErrors = new AtomicLong();
    private volatile String lastHttpError = "";
    private long[] latencies = new long[1024];
    private int count;

    synchronized void exchanged(long nanos) {
        if (count == latencies.length) {
            latencies = Arrays.copyOf(latencies, count * 2);
        }
        latencies[count++] = nanos;
    }

    void downloaded(long n) {
        bytes.addAndGet(n);
    }

    /** A message answered 5xx or not at all (it is sent again): what happened, for the summary. */
    void httpError(String what) {
        httpErrors.incrementAndGet();
        lastHttpError = what;
    }

    public String lastHttpError() {
        return lastHttpError;
    }

    public synchronized int exchanges() {
        return count;
    }

    public long bytesDownloaded() {
        return bytes.get();
    }

    public long httpErrors() {
        return httpErrors.get();
    }

    /** The latency below which {@code fraction} of the exchanges finished, in milliseconds. */
    public synchronized double percentileMillis(double fraction) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(latencies, count);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(fraction * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, index))] / 1_000_000.0;
    }
}
