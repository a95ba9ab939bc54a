package io.pnpoperator.endpoint.store;

import io.pnpoperator.endpoint.workflow.Change;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.Transition;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where devices and their history live. Writes are optimistic: a save names the revision it read, and
 * fails with {@link ConcurrentUpdateException} when another writer got there first.
 */
public interface DeviceStore {

    /** A device as read, with the revision a save must name (opaque: a row version, a resourceVersion). */
    record Stored(Device device, String revision) {
    }

    Optional<Stored> find(String serial);

    List<Device> list();

    /** How many devices are in each phase, and within it in each step (one query, for the gauges). */
    default Map<Phase, Map<Step, Long>> countByPhaseAndStep() {
        return list().stream().collect(Collectors.groupingBy(Device::phase, () -> new EnumMap<>(Phase.class),
                Collectors.groupingBy(Device::step, () -> new EnumMap<>(Step.class), Collectors.counting())));
    }

    /** How many devices are in one phase (asked for each new serial: a store with an index answers from it). */
    default long countIn(Phase phase) {
        return countByPhaseAndStep().getOrDefault(phase, Map.of()).values().stream().mapToLong(Long::longValue).sum();
    }

    /** How many devices wait in line for an image install slot of their profile's rollout. */
    long countInLine();

    /** The device's transitions, oldest first. */
    List<Transition> history(String serial);

    /**
     * Confirms that the device is still as read, without writing, where a read can prove it: what a decision that
     * needs no write (a request handed out that the stored state implies) rests on. False where only a write proves
     * it: the caller then stores the decision as any other.
     *
     * @throws ConcurrentUpdateException when another writer changed it since (the caller reads and decides again)
     */
    boolean confirmed(Stored read) throws ConcurrentUpdateException;

    /**
     * Stores a change and its transitions in one transaction.
     *
     * @param read the state the change was decided from; empty for a device not stored yet
     */
    void save(Optional<Stored> read, Change change) throws ConcurrentUpdateException;
}
