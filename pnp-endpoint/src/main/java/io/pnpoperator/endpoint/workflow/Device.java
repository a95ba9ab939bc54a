package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.Limits;
import io.pnpoperator.endpoint.protocol.Service;
import io.pnpoperator.endpoint.protocol.Udi;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Everything known about one device, in four parts that change for different reasons: who it is, where it
 * is in the workflow, what it reported of itself, and the exchange in flight. Values only; {@link Workflow}
 * decides every change. A new field goes into the one part it belongs to, and into that part's mapping in
 * each store.
 */
public record Device(Identity identity, Progress progress, Observation observed, Exchange exchange) {

    /** A device seen for the first time, at the start of the workflow. */
    public static Device discovered(Udi udi, String hostname, Contact contact) {
        return new Device(
                new Identity(udi.serial(), udi.pid(), udi.vid(), hostname, contact.ipAddress(), contact.now(),
                        contact.now(), ""),
                new Progress(Step.NEW_DEVICE, Phase.PROVISIONING, 0, Optional.empty(), contact.now(), Optional.empty(),
                        0, false, Optional.empty()),
                Observation.NOTHING, Exchange.NONE);
    }

    public String serial() {
        return identity.serial();
    }

    /**
     * Whether this device need not be stored, being {@code read} — whose request was implied — with nothing changed
     * but the time of contact (stored at least every {@code contactRefresh}) and either its step's request handed out
     * ({@link #onlyHandedOut}) or the answer to it applied without changing anything else (a wait acknowledged in
     * its own step, as a provisioned router's daily call): the next answer is recognised by its service, and a repeat
     * of one that changed nothing changes nothing.
     */
    public boolean needsNoWrite(Device read, Duration contactRefresh) {
        if (!read.exchange().requestImplied() || read.exchange().pending().isPresent()
                || !identity.lastContact().isBefore(read.identity().lastContact().plus(contactRefresh))) {
            return false;
        }
        Device contacted = read.with(read.identity().at(identity.lastContact()));
        return onlyHandedOut(read) || exchange.pending().isEmpty()
                && equals(contacted.with(read.exchange().answered(exchange.lastCorrelator().orElse(""))));
    }

    /**
     * Whether this device is {@code read} with nothing but its step's request handed out — the request awaited and
     * the time of contact — while {@code read}'s request was implied: such a change need not be stored (the next
     * answer is recognised by its service), in the steps where that is safe ({@link Steps#requestMayGoUnstored}).
     */
    public boolean onlyHandedOut(Device read) {
        return read.exchange().requestImplied() && read.exchange().pending().isEmpty() && exchange.pending().isPresent()
                && Steps.requestMayGoUnstored(step())
                && equals(read.with(read.identity().at(identity.lastContact())).with(read.exchange()
                        .awaiting(exchange.pending())));
    }

    /** Whether the device has yet to be checked or upgraded to its image (it is not provisioned, not past it). */
    public boolean upgradeAhead() {
        return phase() != Phase.PROVISIONED && step().compareTo(Step.UPGRADE_DONE) < 0;
    }

    public Step step() {
        return progress.step();
    }

    public Phase phase() {
        return progress.phase();
    }

    /**
     * A person moved the device to a step: nothing is in flight or waited for any more, no failed tries or error
     * remain, and the day-0 config URL is dropped (a new one is made if the step needs it).
     */
    public Device movedTo(Step step, Instant now) {
        Progress moved = progress.cleared().waitingFor(Optional.empty()).at(step, now).in(Phase.of(step));
        return with(step == Step.FINISHED ? moved : moved.unfinished())
                .with(exchange.awaiting(Optional.empty()).withConfigGrant(Optional.empty()).withRequestImplied(false));
    }

    public Device with(Identity newIdentity) {
        return new Device(newIdentity, progress, observed, exchange);
    }

    public Device with(Progress newProgress) {
        return new Device(identity, newProgress, observed, exchange);
    }

    public Device with(Observation newObserved) {
        return new Device(identity, progress, newObserved, exchange);
    }

    public Device with(Exchange newExchange) {
        return new Device(identity, progress, observed, newExchange);
    }

    /**
     * Who the device is and how it was last reached.
     *
     * @param profile the profile provisioning the device ("" before one is known)
     */
    public record Identity(String serial, String pid, String vid, String hostname, String ipAddress,
                           Instant firstSeen, Instant lastContact, String profile) {

        /** The full UDI, as the device sends it. */
        public String udi() {
            return "PID:" + pid + ",VID:" + vid + ",SN:" + serial;
        }

        /** What a message says of the device: its UDI and hostname (an empty part keeps what was known). */
        public Identity seenAs(Udi udi, String newHostname) {
            return new Identity(serial, udi.pid().isEmpty() ? pid : udi.pid(), udi.vid().isEmpty() ? vid : udi.vid(),
                    newHostname == null || newHostname.isEmpty() ? hostname : newHostname, ipAddress, firstSeen,
                    lastContact, profile);
        }

        /** The same device last heard from at this time. */
        public Identity at(Instant contactTime) {
            return new Identity(serial, pid, vid, hostname, ipAddress, firstSeen, contactTime, profile);
        }

        public Identity contacted(Contact contact, String profileName) {
            return new Identity(serial, pid, vid, hostname, contact.ipAddress(), firstSeen, contact.now(), profileName);
        }

        public Identity contacted(Contact contact) {
            return contacted(contact, profile);
        }

        /** The platform device-info names, which wins over the UDI's PID when given. */
        public Identity onPlatform(String platformName) {
            return platformName.isEmpty() ? this
                    : new Identity(serial, platformName, vid, hostname, ipAddress, firstSeen, lastContact, profile);
        }
    }

    /**
     * Where the device is in the workflow.
     *
     * @param attempts    failed tries of the current step
     * @param transitions how many transitions the device has had: the sequence number of the last one
     * @param backoffDue  after a failed try: the device's next work request is answered with the retry backoff
     * @param waiting     the command whose result the device is waiting for, bounded by a time budget
     * @param inLine      its place in line for an image install slot of its profile's rollout (1: next); empty
     *                    when it is not waiting for one
     */
    public record Progress(Step step, Phase phase, int attempts, Optional<String> lastError, Instant stepSince,
                           Optional<Instant> finishedAt, long transitions, boolean backoffDue,
                           Optional<Waiting> waiting, OptionalInt inLine) {

        public Progress {
            lastError = lastError.map(e -> Limits.clip(e, Limits.ERROR_TEXT));
        }

        /** Progress not waiting in line for an install slot. */
        public Progress(Step step, Phase phase, int attempts, Optional<String> lastError, Instant stepSince,
                        Optional<Instant> finishedAt, long transitions, boolean backoffDue, Optional<Waiting> waiting) {
            this(step, phase, attempts, lastError, stepSince, finishedAt, transitions, backoffDue, waiting,
                    OptionalInt.empty());
        }

        /** In {@code newStep} from {@code now} (unchanged when already there); FINISHED is remembered. */
        public Progress at(Step newStep, Instant now) {
            if (newStep == step) {
                return this;
            }
            Optional<Instant> finished = newStep == Step.FINISHED && finishedAt.isEmpty() ? Optional.of(now) : finishedAt;
            return new Progress(newStep, phase, attempts, lastError, now, finished, transitions, backoffDue, waiting,
                    OptionalInt.empty());
        }

        public Progress in(Phase newPhase) {
            return new Progress(step, newPhase, attempts, lastError, stepSince, finishedAt, transitions, backoffDue,
                    waiting, inLine);
        }

        public Progress tried(int newAttempts, Optional<String> error) {
            return new Progress(step, phase, newAttempts, error, stepSince, finishedAt, transitions, backoffDue, waiting,
                    inLine);
        }

        /** Progress made, or a person moved the device: no failed tries, no error, nothing to wait out. */
        public Progress cleared() {
            return new Progress(step, phase, 0, Optional.empty(), stepSince, finishedAt, transitions, false, waiting,
                    OptionalInt.empty());
        }

        public Progress withBackoffDue(boolean due) {
            return new Progress(step, phase, attempts, lastError, stepSince, finishedAt, transitions, due, waiting,
                    inLine);
        }

        public Progress waitingFor(Optional<Waiting> newWaiting) {
            return new Progress(step, phase, attempts, lastError, stepSince, finishedAt, transitions, backoffDue,
                    newWaiting, inLine);
        }

        /** Waiting in line for an image install slot, at this place (empty: not, or no longer). */
        public Progress inLine(OptionalInt place) {
            return new Progress(step, phase, attempts, lastError, stepSince, finishedAt, transitions, backoffDue,
                    waiting, place);
        }

        /** To be provisioned again: the time it last finished no longer says when it will. */
        public Progress unfinished() {
            return new Progress(step, phase, attempts, lastError, stepSince, Optional.empty(), transitions, backoffDue,
                    waiting, inLine);
        }

        public Progress counted() {
            return new Progress(step, phase, attempts, lastError, stepSince, finishedAt, transitions + 1, backoffDue,
                    waiting, inLine);
        }
    }

    /** A command the device carries out in the background (the guestshell's start), and since when. */
    public record Waiting(Step command, Instant since) {
    }

    /** What the device last reported of itself. */
    public record Observation(Optional<String> version, Optional<String> image, OptionalLong bootflashFree,
                              Optional<String> guestshell, boolean configApplied, boolean scriptRan) {

        static final Observation NOTHING = new Observation(Optional.empty(), Optional.empty(), OptionalLong.empty(),
                Optional.empty(), false, false);

        /** The running version and image; an empty part keeps what was known. */
        public Observation running(Optional<String> runningVersion, String imageFile) {
            return new Observation(runningVersion.or(() -> version), imageFile.isEmpty() ? image : Optional.of(imageFile),
                    bootflashFree, guestshell, configApplied, scriptRan);
        }

        /** What the device reported of itself, without the work it reported done: for a device starting over. */
        public Observation forgetWork() {
            return new Observation(version, image, bootflashFree, guestshell, false, false);
        }

        public Observation withBootflashFree(long bytes) {
            return new Observation(version, image, OptionalLong.of(bytes), guestshell, configApplied, scriptRan);
        }

        public Observation withGuestshell(String state) {
            return new Observation(version, image, bootflashFree, Optional.of(state), configApplied, scriptRan);
        }

        public Observation withConfigApplied() {
            return new Observation(version, image, bootflashFree, guestshell, true, scriptRan);
        }

        public Observation withScriptRan() {
            return new Observation(version, image, bootflashFree, guestshell, configApplied, true);
        }
    }

    /**
     * The dialog with the device.
     *
     * @param pending        the request sent and not yet answered
     * @param lastCorrelator the correlator of the last response applied: a repeat of it changes nothing
     * @param configGrant    the day-0 config URL sent and not yet used, only while the device is in CONFIG_START
     * @param authRequired   the device asked for credentials ({@code authRequired}) in its last work request
     * @param challenge      the device-auth challenge sent and not yet answered
     * @param provenAs       who the device proved to be with its SUDI certificate (its subject's serial number
     *                       attribute, e.g. {@code PID:C1131-8PWB SN:FGL2548L0AW}); empty until it has
     * @param requestImplied the last change stored was the router's own answer being applied: its next work
     *                       request gets its step's request, which the stored state alone determines, so handing it
     *                       out need not be stored and its answer is recognised by its service (see
     *                       {@link Device#onlyHandedOut}); false after anything else (a person's move, a hold, a
     *                       retry's wait), until a handed-out request is stored and answered again
     */
    public record Exchange(Optional<Pending> pending, Optional<String> lastCorrelator, Optional<ConfigGrant> configGrant,
                           boolean authRequired, Optional<String> challenge, Optional<String> provenAs,
                           boolean requestImplied) {

        static final Exchange NONE = new Exchange(Optional.empty(), Optional.empty(), Optional.empty(), false,
                Optional.empty(), Optional.empty(), false);

        public Exchange awaiting(Optional<Pending> newPending) {
            return new Exchange(newPending, lastCorrelator, configGrant, authRequired, challenge, provenAs,
                    requestImplied);
        }

        /**
         * The response with this correlator is applied: nothing is awaited, a repeat of it changes nothing, and the
         * device's next request is implied by what is stored.
         */
        public Exchange answered(String correlator) {
            return new Exchange(Optional.empty(), Optional.of(correlator), configGrant, authRequired, Optional.empty(),
                    provenAs, true);
        }

        public Exchange withConfigGrant(Optional<ConfigGrant> grant) {
            return new Exchange(pending, lastCorrelator, grant, authRequired, challenge, provenAs, requestImplied);
        }

        public Exchange withAuthRequired(boolean required) {
            return new Exchange(pending, lastCorrelator, configGrant, required, challenge, provenAs, requestImplied);
        }

        public Exchange withChallenge(Optional<String> newChallenge) {
            return new Exchange(pending, lastCorrelator, configGrant, authRequired, newChallenge, provenAs,
                    requestImplied);
        }

        public Exchange provenAs(String subject) {
            return new Exchange(pending, lastCorrelator, configGrant, authRequired, challenge, Optional.of(subject),
                    requestImplied);
        }

        public Exchange withRequestImplied(boolean implied) {
            return new Exchange(pending, lastCorrelator, configGrant, authRequired, challenge, provenAs, implied);
        }
    }

    /** A request sent to the device: the correlator it echoes and the service it belongs to. */
    public record Pending(String correlator, Service service) {
    }
}
