package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceSpec;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.endpoint.store.ConcurrentUpdateException;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.store.StoreUnavailableException;
import io.pnpoperator.endpoint.workflow.Change;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.Transition;
import io.pnpoperator.endpoint.workflow.Workflow;
import io.pnpoperator.toolkit.kubernetes.Keys;
import io.pnpoperator.toolkit.kubernetes.StatusPatch;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devices as PnpDevice resources: read from an informer's cache (no API call per device message), written
 * to the status subresource on condition that nobody wrote since they were read, so that a write based on
 * an old read is refused and decided again. Our own latest writes are remembered until the informer has
 * them, so a device's next message never meets the cache a step behind.
 */
public final class KubernetesDeviceStore implements DeviceStore {

    private static final Logger log = LoggerFactory.getLogger(KubernetesDeviceStore.class);

    /** Label of devices the endpoint created on first contact, rather than people ahead of time. */
    public static final String DISCOVERED_LABEL = "pnp.pnpoperator.io/discovered";

    /** The API server's answer to a call it did not take for now (API Priority and Fairness, storage starting). */
    private static final int TOO_MANY_REQUESTS = 429;

    private final KubernetesClient client;
    /** The same client without its retries: status writes retry by themselves, knowing what each try did. */
    private final KubernetesClient oneTry;
    private final String namespace;
    private final SharedIndexInformer<PnpDevice> informer;
    private final ProfileRules rules;
    private final Clock clock;
    /** Takes up people's step edits, one at a time, off the informer's thread. */
    private final ExecutorService moves = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "pnp-step-edits");
        t.setDaemon(true);
        return t;
    });
    private final DeviceEvents events;
    private final Map<String, PnpDevice> written = new ConcurrentHashMap<>();
    private volatile Consumer<Change> onWrite = change -> { };
    private volatile Reprovisioner reprovisioner = (serial, from, who, wanted) -> { };

    /** Provisions a device again from a step, for someone, while {@code wanted} still says so. */
    public interface Reprovisioner {
        void reprovision(String serial, Step from, String who, BooleanSupplier wanted);
    }

    /** @param rules the profile a device seen for the first time is bound to (register mode), if any */
    public KubernetesDeviceStore(KubernetesClient client, String namespace, SharedIndexInformer<PnpDevice> informer,
                                 ProfileRules rules, Clock clock, DeviceEvents events) {
        this.client = client;
        this.oneTry = client.newClient(new RequestConfigBuilder().withRequestRetryBackoffLimit(0).build())
                .adapt(KubernetesClient.class);
        this.events = events;
        this.namespace = namespace;
        this.informer = informer;
        this.rules = rules;
        this.clock = clock;
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PnpDevice resource) {
                takeUpMoves(resource);
                takeUpReprovisioning(resource);
            }

            @Override
            public void onUpdate(PnpDevice before, PnpDevice resource) {
                takeUpMoves(resource);
                takeUpReprovisioning(resource);
            }

            @Override
            public void onDelete(PnpDevice resource, boolean finalStateUnknown) {
                forget(resource);
            }
        });
    }

    /**
     * A deleted PnpDevice frees its router: this replica drops its own last write of it (kept until the watch
     * shows something newer, which for a deleted resource never comes), so the router's next message finds no
     * device and follows the unknown-device policy, as a new router would.
     */
    private void forget(PnpDevice resource) {
        written.remove(resource.getMetadata().getName());
        log.info("{} deleted: its router is forgotten here", resource.getMetadata().getName());
    }

    /** Whether the endpoint created the device on its router's first contact (rather than a person ahead of it). */
    public static boolean discovered(PnpDevice resource) {
        return "true".equals(resource.getMetadata().getLabels() == null ? null
                : resource.getMetadata().getLabels().get(DISCOVERED_LABEL));
    }

    /** The resource name of a serial: lower case, as Kubernetes names must be. */
    public static String nameOf(String serial) {
        return serial.toLowerCase(Locale.ROOT);
    }

    /** The newest copy of a device's resource this replica knows: its own last write or the informer's. */
    public Optional<PnpDevice> resource(String serial) {
        String name = nameOf(serial);
        PnpDevice cached = informer.getStore().getByKey(Keys.of(namespace, name));
        PnpDevice mine = written.get(name);
        if (mine != null && cached != null && version(cached) >= version(mine)) {
            written.remove(name, mine);
            mine = null;
        }
        return Optional.ofNullable(mine != null ? mine : cached);
    }

    @Override
    public Optional<Stored> find(String serial) {
        Optional<PnpDevice> known = resource(serial);
        if (known.filter(KubernetesDeviceStore::provisioning).isEmpty()) {
            // Not begun as far as the cache knows: new, registered ahead, or begun by another replica a moment
            // ago and not watched here yet. One read tells; it happens until the device's first status is seen.
            known = Optional.ofNullable(fetched(nameOf(serial)));
        }
        if (known.filter(KubernetesDeviceStore::newer).isPresent()) {
            // Taken for new, it would be provisioned again from the start: it is left to the release that knows it.
            throw new StoreUnavailableException(serial + "'s status", new IllegalStateException("it has a step or "
                    + "phase this version does not know, written by a newer release running beside it; that release "
                    + "carries it on, and this one writes nothing of it"));
        }
        return known.filter(KubernetesDeviceStore::provisioning).map(r -> new Stored(deviceOf(r),
                r.getMetadata().getResourceVersion()));
    }

    @Override
    public List<Device> list() {
        return begun().map(KubernetesDeviceStore::deviceOf)
                .sorted(Comparator.comparing((Device d) -> d.identity().firstSeen()).thenComparing(Device::serial))
                .toList();
    }

    /** Counted from the informer's copies, none converted: asked for each new serial, of a fleet of thousands. */
    @Override
    public long countIn(Phase phase) {
        DevicePhase counted = DevicePhase.valueOf(phase.name());
        return begun().filter(r -> r.getStatus().phase() == counted).count();
    }

    /** One read of the resource (the informer's copy may lag another replica's write by a moment). */
    @Override
    public boolean confirmed(Stored read) throws ConcurrentUpdateException {
        String serial = read.device().serial();
        PnpDevice latest = fetched(nameOf(serial));
        if (latest == null || !latest.getMetadata().getResourceVersion().equals(read.revision())) {
            throw new ConcurrentUpdateException(serial);
        }
        return true;
    }

    @Override
    public long countInLine() {
        return begun().filter(r -> r.getStatus().inLine() != null).count();
    }

    @Override
    public List<Transition> history(String serial) {
        return resource(serial).filter(KubernetesDeviceStore::provisioning).map(KubernetesDeviceStore::historyOf)
                .orElse(List.of());
    }

    @Override
    public void save(Optional<Stored> read, Change change) throws ConcurrentUpdateException {
        Device device = change.device();
        PnpDevice base = read.isPresent()
                ? resource(device.serial()).filter(r -> r.getMetadata().getResourceVersion().equals(read.get().revision()))
                        .orElseThrow(() -> new ConcurrentUpdateException(device.serial()))
                : resource(device.serial()).filter(r -> !provisioning(r)).orElseGet(() -> create(device));
        // A person's edit of status.step this write takes up: its own transition first, naming who made it.
        Optional<PersonsMove> move = PersonsMove.of(base, clock.instant());
        List<Transition> transitions = new ArrayList<>();
        move.filter(m -> m.refusal().isEmpty()).ifPresent(m -> transitions.add(m.transition(device.serial())));
        transitions.addAll(change.transitions());
        Change stored = new Change(device, List.copyOf(transitions));
        PnpDeviceStatus mapped = DeviceStatusMapping.toStatus(device, Optional.ofNullable(base.getStatus()),
                stored.transitions(), base.getMetadata().getGeneration(), clock.instant());
        // A re-provisioning acted on in this very write records the annotation's value: it is not acted on again.
        PnpDeviceStatus status = stored.transitions().stream().anyMatch(t -> t.work().equals(Workflow.WORK_REPROVISION))
                ? ReprovisionRequest.of(base).map(r -> mapped.withReprovisioned(r.nonce())).orElse(mapped) : mapped;
        PnpDevice written = remember(writeStatus(base, status));
        events.record(written, stored.transitions());
        move.ifPresent(m -> m.refusal().ifPresent(why -> events.moveRefused(written, m, why)));
        onWrite.accept(stored);
    }

    /**
     * Takes up a person's edit of {@code status.step} as soon as the informer shows it, rather than at the router's
     * next contact: the move is recorded (history, an Event naming who) or, if refused, undone, within a second.
     * Replicas race for it harmlessly: the write that loses reads again and finds nothing left to take up.
     */
    private void takeUpMoves(PnpDevice resource) {
        if (PersonsMove.of(resource, clock.instant()).isEmpty()) {
            return;
        }
        String serial = resource.getSpec().serialNumber();
        moves.execute(() -> {
            for (int attempt = 0; attempt < 3; attempt++) {
                Optional<Stored> read = find(serial);
                if (read.isEmpty() || resource(serial).flatMap(r -> PersonsMove.of(r, clock.instant())).isEmpty()) {
                    return;
                }
                try {
                    save(read, new Change(read.get().device(), List.of()));
                    return;
                } catch (ConcurrentUpdateException e) {
                    // someone wrote meanwhile: look again
                } catch (RuntimeException e) {
                    log.warn("could not take up the step edit of {}: {}", serial, e.getMessage());
                    return;
                }
            }
        });
    }

    /**
     * Acts on a new value of the re-provisioning annotation as soon as the informer shows it: the device starts again
     * (history, a {@code Reprovisioned} Event naming who), and the value is recorded in the same status write, so it
     * is acted on once across replicas and restarts. An unknown step is refused with a Warning Event.
     */
    private void takeUpReprovisioning(PnpDevice resource) {
        Optional<ReprovisionRequest> request = ReprovisionRequest.of(resource).filter(r -> provisioning(resource));
        if (request.isEmpty()) {
            return;
        }
        if (request.get().refusal().isPresent()) {
            events.reprovisionRefused(resource, request.get().refusal().get(), clock.instant());
            return;
        }
        String serial = resource.getSpec().serialNumber();
        String nonce = request.get().nonce();
        moves.execute(() -> {
            try {
                reprovisioner.reprovision(serial, request.get().from(), request.get().requestedBy(), () -> resource(serial)
                        .flatMap(ReprovisionRequest::of).filter(r -> r.nonce().equals(nonce)).isPresent());
            } catch (RuntimeException e) {
                log.warn("could not re-provision {}: {}", serial, e.getMessage());
            }
        });
    }

    /** Is told to provision a device again when its annotation asks for it (the device dialog listens). */
    public void onReprovision(Reprovisioner listener) {
        reprovisioner = listener;
    }

    /** Is told of every change once the API server has accepted it (the history mirror listens). */
    public void onWrite(Consumer<Change> listener) {
        onWrite = listener;
    }

    /** Every device now, with the transitions its resource keeps: what a re-sync writes. */
    public List<Change> changes() {
        return begun().map(r -> new Change(deviceOf(r), historyOf(r))).toList();
    }

    /** Every device an endpoint has begun, each in the newest copy this replica knows. */
    private Stream<PnpDevice> begun() {
        return informer.getStore().list().stream().map(r -> resource(r.getSpec().serialNumber()).orElse(r))
                .filter(KubernetesDeviceStore::provisioning);
    }

    /**
     * The status, written only if nobody wrote since the read we decided from ({@link StatusPatch}). Tried again
     * for passing reasons as the client's other calls are, but each try is looked at: one the API server never took
     * (no connection, 429) changed nothing, while one whose answer was lost (a connection cut, a timeout, a 5xx) may
     * have been applied, and the caller must then not act as if nothing was written. A write tried again after it
     * was applied is refused by its own resourceVersion test: a conflict, decided again from a fresh read.
     */
    private PnpDevice writeStatus(PnpDevice base, PnpDeviceStatus status) throws ConcurrentUpdateException {
        String name = base.getMetadata().getName();
        String readAt = base.getMetadata().getResourceVersion();
        boolean mayHaveLanded = false;
        for (int retry = 0; ; retry++) {
            try {
                return StatusPatch.update(oneTry, base, base.getStatus(), status);
            } catch (KubernetesClientException e) {
                boolean notTaken = e.getCode() == TOO_MANY_REQUESTS || causedBy(e, ConnectException.class);
                boolean answerLost = !notTaken && (e.getCode() <= 0 || e.getCode() >= 500);
                mayHaveLanded |= answerLost;
                if (!notTaken && !answerLost) {
                    // Refused: if someone wrote since our read, take their version (one read, only on a conflict)
                    // and let the dialog decide again; any other refusal is a real error. After a try whose answer
                    // was lost, the write met is most likely that try's own: not decided again as someone else's.
                    String now = versionNow(name, mayHaveLanded);
                    if (!now.isEmpty() && !readAt.equals(now) && !mayHaveLanded) {
                        throw new ConcurrentUpdateException(base.getSpec().serialNumber());
                    }
                    throw new StoreUnavailableException("the API server", e, mayHaveLanded);
                }
                if (retry >= client.getConfiguration().getRequestRetryBackoffLimit()) {
                    throw new StoreUnavailableException("the API server", e, mayHaveLanded);
                }
                pauseBeforeRetry(e, retry, mayHaveLanded);
            }
        }
    }

    /** The API server's Retry-After if it gave one, else the client's backoff, doubled at each retry. */
    private void pauseBeforeRetry(KubernetesClientException e, int retry, boolean mayHaveLanded) {
        long millis = Optional.ofNullable(e.getStatus()).map(Status::getDetails).map(StatusDetails::getRetryAfterSeconds)
                .map(seconds -> seconds * 1000L)
                .orElse((long) client.getConfiguration().getRequestRetryBackoffInterval() << retry);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("the API server", e, mayHaveLanded);
        }
    }

    /** The resourceVersion the API server has now ("" when the resource is gone). */
    private String versionNow(String name, boolean afterAWriteThatMayHaveLanded) {
        try {
            return Optional.ofNullable(fetched(name)).map(r -> r.getMetadata().getResourceVersion()).orElse("");
        } catch (StoreUnavailableException e) {
            throw new StoreUnavailableException("the API server", e.getCause(), afterAWriteThatMayHaveLanded);
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> kind) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private PnpDevice create(Device device) {
        PnpDevice fresh = new PnpDevice();
        fresh.setMetadata(new ObjectMetaBuilder().withName(nameOf(device.serial())).withNamespace(namespace)
                .addToLabels(DISCOVERED_LABEL, "true").build());
        // Bound to the profile the rules give it now (none on a tie: they choose again once it is resolved).
        fresh.setSpec(new PnpDeviceSpec(device.serial(), rules.choose(device.serial(), device.identity().pid())
                .profile().orElse(null), null, null));
        try {
            return remember(client.resource(fresh).create());
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw new StoreUnavailableException("the API server", e);
            }
            // Another replica created it a moment ago: take theirs (a read only in this race).
            return fetched(nameOf(device.serial()));
        }
    }

    /** The resource as the API server has it now, remembered as the newest copy; null when there is none. */
    private PnpDevice fetched(String name) {
        try {
            return remember(client.resources(PnpDevice.class).inNamespace(namespace).withName(name).get());
        } catch (KubernetesClientException e) {
            throw new StoreUnavailableException("the API server", e);
        }
    }

    private PnpDevice remember(PnpDevice resource) {
        if (resource != null) {
            written.merge(resource.getMetadata().getName(), resource,
                    (old, fresh) -> version(fresh) >= version(old) ? fresh : old);
        }
        return resource;
    }

    /** The transitions kept in the resource, but those through a step or phase this version does not know. */
    private static List<Transition> historyOf(PnpDevice r) {
        return r.getStatus().history().stream().filter(h -> h.from() != null && h.to() != null && h.phase() != null)
                .map(h -> DeviceStatusMapping.toTransition(r.getSpec().serialNumber(), h)).toList();
    }

    private static Device deviceOf(PnpDevice r) {
        return DeviceStatusMapping.toDevice(r.getSpec().serialNumber(), r.getSpec().profile() == null ? ""
                : r.getSpec().profile(), r.getStatus());
    }

    /** A device the endpoint has begun: one registered ahead of time has a spec but no status yet. */
    private static boolean provisioning(PnpDevice r) {
        return begunByAnyRelease(r) && !newer(r);
    }

    /**
     * A device begun by a newer release, at a step or phase this version does not know (read as absent: {@link
     * io.pnpoperator.crds.UnknownAsAbsent}). The API server keeps and shows it; this version leaves it alone.
     */
    private static boolean newer(PnpDevice r) {
        PnpDeviceStatus status = r.getStatus();
        return begunByAnyRelease(r) && (status.step() == null || status.phase() == null
                || status.waiting() != null && status.waiting().command() == null);
    }

    private static boolean begunByAnyRelease(PnpDevice r) {
        PnpDeviceStatus status = r.getStatus();
        return status != null && status.identity() != null && status.identity().firstSeen() != null;
    }

    /**
     * resourceVersion as a number, to tell which of two copies of one object is newer. The API treats it as
     * opaque; etcd and the test server both use increasing integers, and a copy this replica cannot order is
     * simply taken from the informer.
     */
    private static long version(PnpDevice r) {
        try {
            return Long.parseLong(r.getMetadata().getResourceVersion());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

}
