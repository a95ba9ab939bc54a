package io.pnpoperator.endpoint.provisioning;

import io.pnpoperator.endpoint.protocol.DeviceMessage;
import io.pnpoperator.endpoint.protocol.ServerMessage;
import io.pnpoperator.endpoint.protocol.WorkRequest;
import io.pnpoperator.endpoint.protocol.WorkResponse;
import io.pnpoperator.endpoint.store.ConcurrentUpdateException;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.store.StoreUnavailableException;
import io.pnpoperator.endpoint.workflow.Change;
import io.pnpoperator.endpoint.workflow.Contact;
import io.pnpoperator.endpoint.workflow.Decision;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Profile;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.Transition;
import io.pnpoperator.endpoint.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exchange with a device: read its state, let the workflow decide, store the decision, and only
 * then hand back the answer. When another writer (a second replica, a retry of the same device, an
 * operator) changed the device in between, read again and decide again.
 */
public final class DeviceDialog {

    private static final Logger log = LoggerFactory.getLogger(DeviceDialog.class);
    static final int MAX_TRIES = 8;
    /**
     * A contact is written at least this often even when nothing else would be: a router's last contact as stored
     * (LAST-CONTACT, the operator's check for routers that stopped calling) is never older than this.
     */
    static final Duration CONTACT_REFRESH = Duration.ofMinutes(5);

    private final DeviceStore store;
    private final Workflow workflow;
    private final ProfileSource profiles;
    private final AtomicLong conflicts = new AtomicLong();
    private final AtomicLong implied = new AtomicLong();
    private final AtomicLong toldToComeBack = new AtomicLong();

    private final Registrations registrations;
    private final InstallSlots slots;
    /**
     * Requests this replica handed out without storing them (the stored state implies them), by serial, until the
     * device's next stored change: their answers must carry their correlators. After a restart, or on another
     * replica, an answer is recognised by its service instead.
     */
    private final Map<String, Device.Pending> handedOut = new ConcurrentHashMap<>();

    public DeviceDialog(DeviceStore store, Workflow workflow, ProfileSource profiles, Registrations registrations,
                        InstallSlots slots) {
        this.store = store;
        this.workflow = workflow;
        this.profiles = profiles;
        this.registrations = registrations;
        this.slots = slots;
    }

    public Registrations registrations() {
        return registrations;
    }

    /** The answer to a device message, and what was decided; no decision for a response from an unknown device. */
    public record Exchange(Optional<Decision> decision, ServerMessage answer) {
    }

    /** Writes refused because another writer came first, each followed by a fresh read and decision. */
    public long conflicts() {
        return conflicts.get();
    }

    /** Requests handed out that the stored state implied: the read confirmed, nothing written. */
    public long impliedRequests() {
        return implied.get();
    }

    /** Work requests answered with a backoff because the store could not be read or written. */
    public long toldToComeBack() {
        return toldToComeBack.get();
    }

    /**
     * Answers a device's message. A work request met by a store that cannot be used now (the database or the API
     * server away, their retries spent) is answered with a PnP backoff: nothing was stored, and the device asks
     * again after it. Otherwise the error reaches the device, which sends the same message again with the same
     * correlator: a work response, because its bye would say the result was stored; a work request whose decision
     * may have been stored (the store went away with the answer to a write), because a backoff under that
     * correlator would read as the device's answer to the request stored for it.
     */
    public Exchange handle(DeviceMessage message, Contact contact) {
        try {
            return decide(message, contact);
        } catch (StoreUnavailableException e) {
            if (!(message instanceof WorkRequest request) || e.writeMayHaveLanded()) {
                throw e;
            }
            toldToComeBack.incrementAndGet();
            log.warn("{} from {} told to come back: {}", message.udi().serial(), contact.ipAddress(), e.getMessage());
            return new Exchange(Optional.empty(), workflow.storeUnavailable(request));
        }
    }

    private Exchange decide(DeviceMessage message, Contact contact) {
        String serial = message.udi().serial();
        Optional<DeviceStore.Stored> first = store.find(serial);
        if (message instanceof WorkRequest request && first.isEmpty()) {
            boolean unknown = profiles.assign(serial, message.udi().pid()) instanceof ProfileSource.Held held
                    && held.phase() == Phase.UNCLAIMED;
            Optional<String> refused = registrations.refusal(contact.ipAddress(), unknown, contact.now());
            if (refused.isPresent()) {
                log.warn("{} from {} not registered: {}", serial, contact.ipAddress(), refused.get());
                return new Exchange(Optional.empty(), workflow.notRegistered(request, refused.get()));
            }
        }
        return retrying(serial, first, read -> {
            Optional<Device> known = read.map(DeviceStore.Stored::device);
            if (message instanceof WorkResponse && known.isEmpty()) {
                return Optional.empty();
            }
            String pid = message.udi().pid();
            ProfileSource.Assignment assignment = profiles.assign(serial, pid);
            if (assignment instanceof ProfileSource.Held held && message instanceof WorkResponse response
                    && held.profile().isPresent()) {
                Profile profile = held.profile().get();
                return Optional.of(workflow.onWorkResponse(profile.forPlatform(pid).orElseGet(profile::withoutImage),
                        known.get(), response, contact, Optional.ofNullable(handedOut.get(serial))));
            }
            if (assignment instanceof ProfileSource.Held held) {
                return Optional.of(workflow.onHeld(known, message, held.reason(), held.phase(), held.briefly(),
                        contact));
            }
            Profile assigned = ((ProfileSource.Assigned) assignment).profile();
            Optional<Profile> forPlatform = assigned.forPlatform(pid);
            if (forPlatform.isEmpty() && known.map(Device::upgradeAhead).orElse(true)) {
                // Not upgraded to another platform's image: the device waits until its profile has one for it.
                return Optional.of(workflow.onHeld(known, message, assigned.noImageFor(pid), Phase.PENDING, contact));
            }
            Profile profile = forPlatform.orElseGet(assigned::withoutImage);
            if (message instanceof WorkRequest request) {
                if (profile.rollout().paused() && known.map(d -> d.phase() != Phase.PROVISIONED).orElse(true)) {
                    // Work sent before the pause is still taken back (responses are read); no new work is sent.
                    return Optional.of(workflow.onHeld(known, message, Profile.ROLLOUT_PAUSED + profile.name()
                            + " (spec.rollout.paused): set it to false to go on", Phase.PENDING, contact));
                }
                return Optional.of(inLineForInstall(profile, known, request, contact)
                        .orElseGet(() -> workflow.onWorkRequest(profile, known, request, contact)));
            }
            return Optional.of(workflow.onWorkResponse(profile, known.get(), (WorkResponse) message, contact,
                    Optional.ofNullable(handedOut.get(serial))));
        }, Decision::change).map(d -> {
            d.ignored().filter(i -> i != Decision.Ignored.REPEATED).ifPresent(i -> log.warn(
                    "{} response from {} ignored ({}): {} correlator {}", serial, contact.ipAddress(), i.label(),
                    ((WorkResponse) message).service().shortName(),
                    ((WorkResponse) message).correlator().orElse("none")));
            return new Exchange(Optional.of(d), d.answer());
        })
                .orElseGet(() -> new Exchange(Optional.empty(), new ServerMessage.Bye(message.udi(),
                        ((WorkResponse) message).correlator().orElse(""), Optional.empty())));
    }

    /**
     * A device about to be sent its image install, under a profile that limits installs at once: it takes a slot,
     * or waits in line (told its place, asked back after the retry backoff).
     */
    private Optional<Decision> inLineForInstall(Profile profile, Optional<Device> known, WorkRequest request,
                                                Contact contact) {
        OptionalInt limit = profile.rollout().maxConcurrentInstalls();
        Optional<Device> due = known.filter(d -> limit.isPresent() && profile.image().isPresent()
                && d.step() == Step.UPGRADE_NEEDED && d.phase() == Phase.PROVISIONING && !d.progress().backoffDue());
        if (due.isEmpty()) {
            return Optional.empty();
        }
        InstallSlots.Admission admission = slots.admit(profile.name(), due.get().serial(), limit.getAsInt(),
                contact.now());
        return admission instanceof InstallSlots.InLine line
                ? Optional.of(workflow.waitForInstallSlot(profile, due.get(), request, line.place(), line.inUse(),
                        contact))
                : Optional.empty();
    }

    /**
     * A day-0 config download: whether this device, at this address, may have its config with this secret now.
     * Yes uses the URL up, and that is stored before the answer; a refusal changes nothing and is logged with
     * its reason (never the secret).
     */
    public boolean handOutConfig(String serial, String secret, String address, Instant now) {
        Optional<Workflow.ConfigHandout> handout = retrying(serial, read -> read.map(stored ->
                workflow.onConfigDownload(stored.device(), secret, address, now)), Workflow.ConfigHandout::change);
        Optional<String> refusal = handout.isEmpty() ? Optional.of("no such device")
                : handout.get().refusal();
        refusal.ifPresentOrElse(reason -> log.warn("{} day-0 config refused to {}: {}", serial, address, reason),
                () -> log.info("{} day-0 config handed out to {}", serial, address));
        return refusal.isEmpty();
    }

    /** Moves a known device to a step for {@code who}, or says why not; empty when there is no such device. */
    public Optional<Workflow.Move> moveByOperator(String serial, Step step, String who, Instant now) {
        return retrying(serial, read -> read.map(stored -> workflow.moveByOperator(stored.device(), step, who, now)),
                Workflow.Move::change);
    }

    /**
     * Provisions a known device again from {@code step}, for {@code who}, as long as {@code wanted} says so when the
     * write is decided (another replica may have acted on the same request meanwhile); empty when there is no such
     * device or it is no longer wanted.
     */
    public Optional<Workflow.Move> reprovision(String serial, Step step, String who, Instant now,
                                               BooleanSupplier wanted) {
        return retrying(serial, read -> read.filter(stored -> wanted.getAsBoolean())
                .map(stored -> workflow.reprovision(stored.device(), step, who, now)), Workflow.Move::change);
    }

    /** One line a transition, once it is stored: what a person debugging a router reads first. */
    private static void logTransition(Transition t) {
        log.atInfo().addKeyValue("serial", t.serial()).addKeyValue("from", t.from()).addKeyValue("to", t.to())
                .addKeyValue("work", t.work()).addKeyValue("result", t.result())
                .log("{} {} → {} ({} {}){}", t.serial(), t.from(), t.to(), t.work(), t.result(),
                        t.error().map(e -> ": " + e).orElse(""));
    }

    private <T> Optional<T> retrying(String serial, Function<Optional<DeviceStore.Stored>, Optional<T>> decide,
                                     Function<T, Change> changeOf) {
        return retrying(serial, store.find(serial), decide, changeOf);
    }

    /** Decides from {@code first}, stores, and on a conflict reads again and decides again. */
    private <T> Optional<T> retrying(String serial, Optional<DeviceStore.Stored> first,
                                     Function<Optional<DeviceStore.Stored>, Optional<T>> decide,
                                     Function<T, Change> changeOf) {
        Optional<DeviceStore.Stored> read = first;
        for (int attempt = 1; ; attempt++, read = store.find(serial)) {
            Optional<T> decided = decide.apply(read);
            if (decided.isEmpty()) {
                return decided;
            }
            try {
                Change change = changeOf.apply(decided.get());
                if (read.isPresent() && change.transitions().isEmpty()
                        && change.device().needsNoWrite(read.get().device(), CONTACT_REFRESH)
                        && store.confirmed(read.get())) {
                    // The stored state implies this request, or the answer to it changed nothing: only that the
                    // read is current is confirmed, where a read proves it.
                    change.device().exchange().pending().ifPresentOrElse(p -> handedOut.put(serial, p),
                            () -> handedOut.remove(serial));
                    implied.incrementAndGet();
                    return decided;
                }
                // Stored even when nothing changed: the write is what proves the read was current (a replica's
                // cache may lag), and a refused write makes the decision again from a fresh read.
                store.save(read, change);
                handedOut.remove(serial);
                change.transitions().forEach(DeviceDialog::logTransition);
                return decided;
            } catch (ConcurrentUpdateException e) {
                conflicts.incrementAndGet();
                if (attempt >= MAX_TRIES) {
                    throw new IllegalStateException(e.getMessage() + " " + MAX_TRIES + " times in a row", e);
                }
            }
        }
    }
}
