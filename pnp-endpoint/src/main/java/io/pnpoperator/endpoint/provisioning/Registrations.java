package io.pnpoperator.endpoint.provisioning;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * How many new serials the server takes on: each source address registers at most {@code perMinute} a minute
 * (a bucket that refills continuously), and no new device is recorded while {@code maxUnclaimed} unknown ones
 * already wait for a person. A refused registration stores nothing; the device is told to come back later.
 */
public final class Registrations {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final int perMinute;
    private final int maxUnclaimed;
    private final LongSupplier unclaimed;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong refusedForRate = new AtomicLong();
    private final AtomicLong refusedForCap = new AtomicLong();

    /** @param unclaimed how many devices wait Unclaimed now */
    public Registrations(int perMinute, int maxUnclaimed, LongSupplier unclaimed) {
        this.perMinute = perMinute;
        this.maxUnclaimed = maxUnclaimed;
        this.unclaimed = unclaimed;
    }

    /**
     * Why a new serial from {@code address} is not taken now; empty when it is (and then it is counted). The cap on
     * unknown devices applies only to one that would wait Unclaimed: strangers never keep expected routers out.
     */
    public Optional<String> refusal(String address, boolean unknown, Instant now) {
        // The rate first: it costs nothing, and bounds how often the count below is asked for.
        Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(perMinute, now));
        if (!bucket.take(perMinute, now)) {
            refusedForRate.incrementAndGet();
            return Optional.of("more than " + perMinute + " new devices a minute from " + address
                    + " (pnp.limits.registrations-per-minute)");
        }
        if (unknown && unclaimed.getAsLong() >= maxUnclaimed) {
            refusedForCap.incrementAndGet();
            return Optional.of(maxUnclaimed + " unknown devices already wait for a person (pnp.limits.max-unclaimed)");
        }
        if (buckets.size() > 10_000) {
            buckets.values().removeIf(b -> b.full(perMinute, now)); // forget addresses that stopped registering
        }
        return Optional.empty();
    }

    public long refusedForRate() {
        return refusedForRate.get();
    }

    public long refusedForCap() {
        return refusedForCap.get();
    }

    /** Registrations left to an address, refilled at {@code perMinute} a minute up to {@code perMinute}. */
    private static final class Bucket {
        private double tokens;
        private Instant at;

        Bucket(int perMinute, Instant now) {
            this.tokens = perMinute;
            this.at = now;
        }

        synchronized boolean take(int perMinute, Instant now) {
            refill(perMinute, now);
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }

        synchronized boolean full(int perMinute, Instant now) {
            refill(perMinute, now);
            return tokens >= perMinute;
        }

        private void refill(int perMinute, Instant now) {
            double minutes = Math.max(0, Duration.between(at, now).toMillis()) / (double) MINUTE.toMillis();
            tokens = Math.min(perMinute, tokens + minutes * perMinute);
            at = now;
        }
    }
}
