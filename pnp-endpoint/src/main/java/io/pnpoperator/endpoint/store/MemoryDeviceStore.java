package io.pnpoperator.endpoint.store;

import io.pnpoperator.endpoint.workflow.Change;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Devices in this process's memory, gone with it: for a dry run, whose simulated routers must leave nothing in the
 * real store. Same rules as the others: a save names the revision it read.
 */
public final class MemoryDeviceStore implements DeviceStore {

    private record Row(Device device, long revision, List<Transition> history) {
    }

    private final Map<String, Row> rows = new ConcurrentHashMap<>();

    @Override
    public Optional<Stored> find(String serial) {
        return Optional.ofNullable(rows.get(serial)).map(r -> new Stored(r.device(), Long.toString(r.revision())));
    }

    @Override
    public List<Device> list() {
        return rows.values().stream().map(Row::device).toList();
    }

    @Override
    public long countInLine() {
        return list().stream().filter(d -> d.progress().inLine().isPresent()).count();
    }

    @Override
    public List<Transition> history(String serial) {
        return Optional.ofNullable(rows.get(serial)).map(Row::history).orElse(List.of());
    }

    @Override
    public boolean confirmed(Stored read) throws ConcurrentUpdateException {
        if (!find(read.device().serial()).map(Stored::revision).equals(Optional.of(read.revision()))) {
            throw new ConcurrentUpdateException(read.device().serial());
        }
        return true;
    }

    @Override
    public synchronized void save(Optional<Stored> read, Change change) throws ConcurrentUpdateException {
        String serial = change.device().serial();
        Row now = rows.get(serial);
        boolean current = read.isEmpty() ? now == null
                : now != null && Long.toString(now.revision()).equals(read.get().revision());
        if (!current) {
            throw new ConcurrentUpdateException(serial);
        }
        List<Transition> history = new ArrayList<>(now == null ? List.of() : now.history());
        history.addAll(change.transitions());
        rows.put(serial, new Row(change.device(), now == null ? 0 : now.revision() + 1, List.copyOf(history)));
    }
}
