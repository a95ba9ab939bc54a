package io.pnpoperator.endpoint.store;

import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How many devices are in each phase and step, from one GROUP BY query at most every few seconds however often
 * it is asked (by every Prometheus scrape, by every new serial's registration).
 */
public final class FleetCounts {

    static final Duration COUNT_EVERY = Duration.ofSeconds(5);

    private final DeviceStore store;
    private final AtomicReference<Counted> counted = new AtomicReference<>(new Counted(Instant.EPOCH, Map.of()));

    private record Counted(Instant at, Map<Phase, Map<Step, Long>> byPhaseAndStep) {
    }

    public FleetCounts(DeviceStore store) {
        this.store = store;
    }

    public long in(Phase phase) {
        return counted().byPhaseAndStep().getOrDefault(phase, Map.of()).values().stream().mapToLong(Long::longValue)
                .sum();
    }

    public long in(Step step) {
        return counted().byPhaseAndStep().values().stream().mapToLong(steps -> steps.getOrDefault(step, 0L)).sum();
    }

    private Counted counted() {
        Counted now = counted.get();
        if (Instant.now().isAfter(now.at().plus(COUNT_EVERY))) {
            now = new Counted(Instant.now(), store.countByPhaseAndStep());
            counted.set(now);
        }
        return now;
    }
}
