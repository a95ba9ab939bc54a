package io.pnpoperator.endpoint.store;

import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How many devices are in each phase and step, from one GROUP BY query at most every few seconds however often
 * it is asked (by every Prometheus scrape, by every gauge of it).
 */
public final class FleetCounts {

    static final Duration COUNT_EVERY = Duration.ofSeconds(5);

    private final DeviceStore store;
    private final AtomicReference<Counted> counted = new AtomicReference<>(new Counted(Instant.EPOCH, Map.of(), 0));

    private record Counted(Instant at, Map<Phase, Map<Step, Long>> byPhaseAndStep, long inLine) {
    }

    public FleetCounts(DeviceStore store) {
        this.store = store;
    }

    public long in(Phase phase) {
        return counted().byPhaseAndStep().getOrDefault(phase, Map.of()).values().stream().mapToLong(Long::longValue)
                .sum();
    }

    /** Devices waiting in line for an image install slot. */
    public long inLine() {
        return counted().inLine();
    }

    public long in(Step step) {
        return counted().byPhaseAndStep().values().stream().mapToLong(steps -> steps.getOrDefault(step, 0L)).sum();
    }

    /**
     * While the store cannot be read the last counts stand, and the store is asked again only after another few
     * seconds: a scrape reads dozens of gauges, and each must not wait for the database in turn.
     */
    private Counted counted() {
        Counted last = counted.get();
        if (!Instant.now().isAfter(last.at().plus(COUNT_EVERY))) {
            return last;
        }
        Counted now;
        try {
            now = new Counted(Instant.now(), store.countByPhaseAndStep(), store.countInLine());
        } catch (StoreUnavailableException e) {
            now = new Counted(Instant.now(), last.byPhaseAndStep(), last.inLine());
        }
        counted.set(now);
        return now;
    }
}
