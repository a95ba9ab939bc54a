package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.Credentials;
import io.pnpoperator.endpoint.protocol.DeviceMessage;
import io.pnpoperator.endpoint.protocol.Report;
import io.pnpoperator.endpoint.protocol.ServerMessage;
import io.pnpoperator.endpoint.protocol.Service;
import io.pnpoperator.endpoint.protocol.Work;
import io.pnpoperator.endpoint.protocol.WorkRequest;
import io.pnpoperator.endpoint.protocol.WorkResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * The provisioning state machine: given a device's state and its message, decides the next state and
 * the answer. Pure: no I/O, no clock, no randomness of its own, so the caller can store the decision
 * before answering and decide again after a write conflict.
 *
 * <p>A work request is answered with the current step's request, or with a backoff while the device has to
 * wait (after a failed try, while provisioning is held). A work response is always answered with bye, the
 * protocol's acknowledgement: what it changed shows in the answer to the next work request.
 */
public final class Workflow {

    public static final String RESULT_SENT = "sent";
    public static final String RESULT_SUCCESS = "success";
    public static final String RESULT_FAILURE = "failure";
    public static final String RESULT_FAULT = "fault";
    /** The work of a transition a person made; its result names who. */
    public static final String WORK_MOVE = "operator";
    /** The work of a re-provisioning a person asked for; its result names who. */
    public static final String WORK_REPROVISION = "reprovision";
    /** A provisioned device came back without a startup configuration. */
    public static final String RESULT_FACTORY_STATE = "factory-state";

    /** What a device-auth request offers: the algorithms Cisco's reference checker takes. */
    static final List<String> ENCRYPTION_METHODS = List.of("RSA", "ECDSA");
    static final List<String> HASH_METHODS = List.of("SHA256", "SHA512");

    private final Timings timings;
    private final Security security;
    private final Supplier<String> secrets;
    private final IdentityProof identityProof;

    /**
     * @param secrets       makes the secrets of day-0 config URLs and device-auth challenges (a secure random source
     *                      in production)
     * @param identityProof checks a device's SUDI proof, for profiles that ask for one
     */
    public Workflow(Timings timings, Security security, Supplier<String> secrets, IdentityProof identityProof) {
        this.timings = timings;
        this.security = security;
        this.secrets = secrets;
        this.identityProof = identityProof;
    }

    /** A workflow that checks no SUDI proof: profiles that ask for one hold their devices. */
    public Workflow(Timings timings, Security security, Supplier<String> secrets) {
        this(timings, security, secrets, IdentityProof.NONE);
    }

    /** A device asks for work: answer with its current step's request under its profile, or a backoff. */
    public Decision onWorkRequest(Profile profile, Optional<Device> known, WorkRequest request, Contact contact) {
        if (request.authRequired() && profile.credentials().isEmpty()) {
            return onHeld(known, request, "the device asks for credentials (authRequired) and profile '"
                    + profile.name() + "' has none: set spec.credentialsSecret", Phase.PENDING, contact);
        }
        Device device = known.orElseGet(() -> Device.discovered(request.udi(), request.hostname(), contact));
        // Whatever this answer is — a hold, a wait, a request — the next one is not implied any more, unless it is
        // the step's own request handed out (below).
        Draft draft = new Draft(device.with(device.identity().seenAs(request.udi(), request.hostname())
                .contacted(contact, profile.name())).with(device.exchange().withAuthRequired(request.authRequired())
                .withRequestImplied(false)));
        if (device.phase() == Phase.PENDING || device.phase() == Phase.UNCLAIMED) {
            // Its profile is usable now: the device resumes where it was held.
            draft.progress(draft.device.progress().in(Phase.of(device.step())).tried(device.progress().attempts(),
                    Optional.empty()));
        }
        Optional<Credentials> credentials = request.authRequired() ? profile.credentials() : Optional.empty();

        if (device.phase() == Phase.PROVISIONED && request.noStartupConfig()) {
            if (profile.reappeared().orElse(security.reappeared()) == Security.Reappeared.HOLD) {
                String reason = "came back without a startup configuration after it was provisioned (finished "
                        + device.progress().finishedAt().map(Instant::toString).orElse("earlier") + ", from "
                        + device.identity().ipAddress() + "; now from " + contact.ipAddress() + "): erased, replaced, "
                        + "or someone claiming its serial; move it to NEW_DEVICE to provision it again";
                draft.progress(draft.device.progress().in(Phase.HELD).tried(0, Optional.of(reason)));
                draft.record(device.step(), device.step(), Service.WORK_INFO.shortName(),
                        Optional.of(request.correlator()), RESULT_FACTORY_STATE, Optional.of(reason), contact.now());
                return draft.answer(backoff(request, credentials, "held: " + reason, timings.failed()));
            }
            Device restarted = draft.device.movedTo(Step.NEW_DEVICE, contact.now());
            draft.device = restarted;
            draft.record(device.step(), Step.NEW_DEVICE, Service.WORK_INFO.shortName(),
                    Optional.of(request.correlator()), RESULT_FACTORY_STATE, Optional.empty(), contact.now());
        }
        if (draft.device.phase() == Phase.FAILED || draft.device.phase() == Phase.HELD) {
            String why = draft.device.phase() == Phase.FAILED ? "provisioning failed at " + device.step() : "held";
            return draft.answer(backoff(request, credentials, why + ": "
                    + device.progress().lastError().orElse("unknown error") + "; waiting for an operator",
                    timings.failed()));
        }
        if (device.progress().backoffDue()) {
            // The first contact after a failed try: the device waits before the step is sent again. Nothing is
            // sent that could be answered, so its acknowledgement changes nothing.
            draft.progress(draft.device.progress().withBackoffDue(false));
            return draft.answer(backoff(request, credentials, "attempt " + device.progress().attempts() + " of "
                    + timings.maxAttempts() + " failed: " + device.progress().lastError().orElse("")
                    + "; trying again", timings.retry()));
        }

        if (profile.proveIdentity() && draft.device.exchange().provenAs().isEmpty()) {
            // Nothing is sent, and nothing of the device is trusted, until it proves who it is.
            String challenge = secrets.get();
            draft.exchange(draft.device.exchange().withChallenge(Optional.of(challenge)).awaiting(Optional.of(
                    new Device.Pending(request.correlator(), Service.DEVICE_AUTH))));
            return draft.answer(new ServerMessage.Request(request.udi(), request.correlator(),
                    new Work.DeviceAuth(challenge, ENCRYPTION_METHODS, HASH_METHODS), credentials));
        }

        Rule rule = Steps.rule(Steps.firstActive(draft.device.step(), profile));
        while (rule.request().isEmpty()) {
            rule = Steps.rule(Steps.firstActive(rule.step().following(), profile));
        }
        draft.moveTo(rule.step(), Service.WORK_INFO.shortName(), Optional.of(request.correlator()), RESULT_SENT,
                Optional.empty(), contact.now());
        Links links = contact.links();
        if (rule.step() == Step.CONFIG_START) {
            // A new secret for every request that sends the URL: an older one stops working.
            String secret = secrets.get();
            links = links.withConfigSecret(secret);
            draft.exchange(draft.device.exchange().withConfigGrant(Optional.of(ConfigGrant.of(secret,
                    contact.ipAddress(), contact.now()))));
        }
        Work work = rule.request().get().build(profile, timings, draft.device, links);
        if (rule.onSend().isPresent()) {
            draft.moveTo(rule.onSend().get(), work.service().shortName(), Optional.of(request.correlator()),
                    RESULT_SENT, Optional.empty(), contact.now());
        }
        draft.exchange(draft.device.exchange().awaiting(Optional.of(new Device.Pending(request.correlator(),
                work.service()))).withRequestImplied(device.exchange().requestImplied() && draft.transitions.isEmpty()));
        return draft.answer(new ServerMessage.Request(request.udi(), request.correlator(), work, credentials));
    }

    /**
     * A device reports the result of its work: move it on, or count a failed attempt and have it wait before
     * the step is tried again. Only the answer to the request in flight counts: it carries that request's
     * correlator (a fault may carry none) — the request stored, or the one this replica handed out, or, when neither
     * is known here, the step's request the stored state implies, recognised by its service — and comes from the
     * address the request went to. Anything else — a
     * repeat, an answer to nothing awaited, a report about a device already provisioned or held — changes nothing
     * of its progress, and says why. Always answered bye.
     *
     * @param handedOut the request this replica handed out to the device without storing it, if it did (its answer
     *                  must carry its correlator)
     */
    public Decision onWorkResponse(Profile profile, Device device, WorkResponse response, Contact contact,
                                   Optional<Device.Pending> handedOut) {
        Optional<Device.Pending> awaited = awaited(profile, device, response, contact, handedOut);
        String correlator = response.correlator().or(() -> awaited.map(Device.Pending::correlator)).orElse("");
        ServerMessage bye = new ServerMessage.Bye(response.udi(), correlator,
                device.exchange().authRequired() ? profile.credentials() : Optional.empty());
        Optional<Decision.Ignored> ignored = ignored(device, awaited, response, contact);
        if (ignored.isPresent()) {
            // Not even the time of contact is kept: it may not be the device's.
            return new Decision(new Change(device, List.of()), bye, ignored);
        }
        Draft draft = new Draft(device.with(device.identity().seenAs(response.udi(), "")
                .contacted(contact, profile.name())));
        if (awaited.isEmpty()) {
            return draft.answer(bye); // a backoff's acknowledgement
        }
        Device.Pending pending = awaited.get();
        Optional<String> challenge = device.exchange().challenge();
        draft.exchange(draft.device.exchange().answered(correlator));

        if (pending.service() == Service.DEVICE_AUTH) {
            IdentityProof.Verdict verdict = response.success() && response.report() instanceof Report.DeviceAuth answer
                    && challenge.isPresent()
                    ? identityProof.check(device.identity().pid(), device.serial(), challenge.get(), answer,
                            contact.now())
                    : new IdentityProof.Verdict(false, response.success() ? "it answered without a SUDI proof"
                            : response.errorText());
            if (verdict.proven()) {
                draft.exchange(draft.device.exchange().provenAs(verdict.detail()));
                draft.record(device.step(), device.step(), Service.DEVICE_AUTH.shortName(), Optional.of(correlator),
                        RESULT_SUCCESS, Optional.empty(), contact.now());
                return draft.answer(bye);
            }
            return setback(draft, device, pending, Outcome.setback(draft.device, device.step(), "SUDI proof refused: "
                    + verdict.detail()), resultOf(response), correlator, contact, bye, profile);
        }

        Outcome outcome = read(profile, draft.device, pending, response, contact.now());
        draft.device = outcome.device();
        String result = resultOf(response);
        if (outcome.kind() != Outcome.Kind.SETBACK) {
            if (outcome.kind() == Outcome.Kind.ADVANCE) {
                draft.progress(draft.device.progress().cleared());
            }
            draft.moveTo(Steps.firstActive(outcome.next(), profile), pending.service().shortName(),
                    Optional.of(correlator), result, Optional.empty(), contact.now());
            return draft.answer(bye);
        }

        return setback(draft, device, pending, outcome, result, correlator, contact, bye, profile);
    }

    /** One more failed try: the step is tried again after the retry backoff, or the device fails at the last. */
    private Decision setback(Draft draft, Device device, Device.Pending pending, Outcome outcome, String result,
                             String correlator, Contact contact, ServerMessage bye, Profile profile) {
        draft.device = outcome.device();
        int attempts = device.progress().attempts() + 1;
        draft.progress(draft.device.progress().tried(attempts, outcome.reason()));
        if (attempts >= timings.maxAttempts()) {
            draft.progress(draft.device.progress().in(Phase.FAILED));
            draft.record(device.step(), device.step(), pending.service().shortName(), Optional.of(correlator), result,
                    outcome.reason(), contact.now());
            return draft.answer(bye);
        }
        Step retryAt = Steps.firstActive(outcome.next(), profile);
        draft.progress(draft.device.progress().at(retryAt, contact.now()).in(Phase.of(retryAt)).withBackoffDue(true));
        draft.record(device.step(), retryAt, pending.service().shortName(), Optional.of(correlator), result,
                outcome.reason(), contact.now());
        return draft.answer(bye);
    }

    /**
     * A device that no profile provisions yet (none given, not found, not ready, the device is paused, or it
     * asks for credentials its profile lacks): it is told why and to come back later; nothing about its
     * progress changes.
     */
    public Decision onHeld(Optional<Device> known, DeviceMessage message,
                           String reason, Phase phase, Contact contact) {
        return onHeld(known, message, reason, phase, false, contact);
    }

    /** @param briefly the reason passes by itself in moments: the device comes back after the retry backoff */
    public Decision onHeld(Optional<Device> known, DeviceMessage message,
                           String reason, Phase phase, boolean briefly, Contact contact) {
        ServerMessage answer = message instanceof WorkRequest request
                ? backoff(request, Optional.empty(), reason, briefly ? timings.retry() : timings.blocked())
                : new ServerMessage.Bye(message.udi(), ((WorkResponse) message).correlator().orElse(""),
                        Optional.empty());
        Device device = known.orElseGet(() -> Device.discovered(message.udi(), "", contact));
        // Its next request is handed out and stored as before: a wait's acknowledgement is never taken for an answer.
        device = device.with(device.identity().contacted(contact)).with(device.exchange().withRequestImplied(false));
        if (device.phase() != Phase.FAILED && device.phase() != Phase.HELD) {
            // A failed or held device waits for a person whatever its profile does meanwhile.
            device = device.with(device.progress().in(phase).tried(device.progress().attempts(), Optional.of(reason)));
        }
        return new Decision(new Change(device, List.of()), answer);
    }

    /**
     * A device downloads its day-0 config with the secret of its URL: allowed once, within the URL's lifetime,
     * from the address it was sent to, while the device is in CONFIG_START. The change uses the URL up; it is to
     * be stored before the config is sent.
     *
     * @return the change, or why the download is refused
     */
    public ConfigHandout onConfigDownload(Device device, String secret, String address, Instant now) {
        Change unchanged = new Change(device, List.of());
        if (device.step() != Step.CONFIG_START) {
            return new ConfigHandout(unchanged, Optional.of("device is in " + device.step() + ", not CONFIG_START"));
        }
        Optional<String> refusal = device.exchange().configGrant()
                .map(grant -> grant.refusal(secret, address, now, security))
                .orElse(Optional.of("no config URL outstanding (used, or never sent)"));
        if (refusal.isPresent()) {
            return new ConfigHandout(unchanged, refusal);
        }
        return new ConfigHandout(new Change(device.with(device.exchange().withConfigGrant(Optional.empty())),
                List.of()), Optional.empty());
    }

    /** The outcome of a day-0 config download: the change to store (the URL used up), or why it is refused. */
    public record ConfigHandout(Change change, Optional<String> refusal) {
    }

    /**
     * The request a response may answer: the one stored; else, when the device's request is implied by its stored
     * state, the one this replica handed out (its correlator must match), or — handed out by another replica, or
     * before a restart — its step's request, recognised by its service.
     */
    private Optional<Device.Pending> awaited(Profile profile, Device device, WorkResponse response, Contact contact,
                                             Optional<Device.Pending> handedOut) {
        if (device.exchange().pending().isPresent() || !device.exchange().requestImplied()) {
            return device.exchange().pending();
        }
        if (handedOut.isPresent()) {
            return handedOut;
        }
        Rule rule = Steps.rule(device.step());
        if (!Steps.requestMayGoUnstored(device.step()) || !rule.active().test(profile)) {
            return Optional.empty();
        }
        return rule.request().map(r -> r.build(profile, timings, device, contact.links()).service())
                .filter(service -> service == response.service())
                .map(service -> new Device.Pending(response.correlator().orElse(""), service));
    }

    /** Why a response is not applied, if it is not; a backoff's acknowledgement with nothing awaited is fine. */
    private Optional<Decision.Ignored> ignored(Device device, Optional<Device.Pending> pending, WorkResponse response,
                                              Contact contact) {
        boolean acknowledged = response.service() == Service.BACKOFF && response.success();
        if ((device.phase() == Phase.PROVISIONED || device.phase() == Phase.HELD) && !acknowledged) {
            return Optional.of(Decision.Ignored.SETTLED);
        }
        if (response.correlator().isPresent() && response.correlator().equals(device.exchange().lastCorrelator())) {
            return Optional.of(Decision.Ignored.REPEATED);
        }
        if (response.correlator().isEmpty() && response.service() != Service.FAULT) {
            return Optional.of(Decision.Ignored.NO_CORRELATOR);
        }
        if (pending.isEmpty()) {
            return response.service() == Service.BACKOFF ? Optional.empty() : Optional.of(Decision.Ignored.NOT_AWAITED);
        }
        if (response.correlator().filter(c -> !c.equals(pending.get().correlator())).isPresent()) {
            return Optional.of(Decision.Ignored.NOT_AWAITED);
        }
        if (acknowledged && pending.get().service() != Service.BACKOFF) {
            // The request stored under this correlator never reached the device: it was told to come back instead
            // (the store failed as the decision was written). It is sent again at the device's next work request.
            return Optional.of(Decision.Ignored.NOT_AWAITED);
        }
        if (security.bindToAddress() && !contact.ipAddress().equals(device.identity().ipAddress())) {
            return Optional.of(Decision.Ignored.OTHER_ADDRESS);
        }
        return Optional.empty();
    }

    /** The answer to a new serial the server does not take on now: come back later; nothing is stored. */
    public ServerMessage notRegistered(WorkRequest request, String reason) {
        return backoff(request, Optional.empty(), "not registered: " + reason, timings.retry());
    }

    /** The answer to a work request when the store cannot be used now: come back after the retry backoff. */
    public ServerMessage storeUnavailable(WorkRequest request) {
        return backoff(request, Optional.empty(), "the server cannot store progress now; nothing was changed",
                timings.retry());
    }

    /** How a response is named in history and metrics: success, failure (errorInfo) or fault. */
    public static String resultOf(WorkResponse response) {
        return response.success() ? RESULT_SUCCESS : response.service() == Service.FAULT ? RESULT_FAULT : RESULT_FAILURE;
    }

    /**
     * A person ({@code who}) moves a device to a step, as the old server's users edited DEVICE_STATUS.csv: the
     * change to store, a transition naming them, or why the move is refused ({@link StepMoves}; nothing changes).
     */
    public Move moveByOperator(Device device, Step step, String who, Instant now) {
        Optional<String> refusal = StepMoves.refusal(device.step(), step, device.phase(),
                device.exchange().pending().isPresent());
        if (refusal.isPresent()) {
            return new Move(new Change(device, List.of()), refusal);
        }
        Draft draft = new Draft(device.movedTo(step, now));
        draft.record(device.step(), step, WORK_MOVE, Optional.empty(), who, Optional.empty(), now);
        return new Move(draft.change(), Optional.empty());
    }

    /**
     * A person ({@code who}) has a device provisioned again from {@code step} (NEW_DEVICE: from the start), whatever
     * its phase: provisioned, failed or held. What it reported it had done (config applied, script run) is forgotten
     * when it starts over; a request in flight is no longer awaited.
     */
    public Move reprovision(Device device, Step step, String who, Instant now) {
        Device restarted = device.movedTo(step, now);
        if (step == Step.NEW_DEVICE) {
            restarted = restarted.with(restarted.observed().forgetWork());
        }
        Draft draft = new Draft(restarted);
        draft.record(device.step(), step, WORK_REPROVISION, Optional.empty(), who, Optional.empty(), now);
        return new Move(draft.change(), Optional.empty());
    }

    /**
     * A device whose image install has to wait for a slot of its profile's rollout: told its place in line and to
     * come back after the retry backoff; it stays in UPGRADE_NEEDED, nothing sent that could be answered.
     *
     * @param inUse installs of the profile going on now (its limit, or more while a lowered limit drains)
     */
    public Decision waitForInstallSlot(Profile profile, Device device, WorkRequest request, int place, int inUse,
                                       Contact contact) {
        Device waiting = device.with(device.identity().seenAs(request.udi(), request.hostname())
                .contacted(contact, profile.name())).with(device.progress().inLine(OptionalInt.of(place)));
        String reason = "waiting for an image install slot of profile " + profile.name() + ": " + inUse + " of "
                + profile.rollout().maxConcurrentInstalls().orElse(inUse) + " in use, number " + place + " in line";
        return new Decision(new Change(waiting, List.of()), backoff(request,
                request.authRequired() ? profile.credentials() : Optional.empty(), reason, timings.retry()));
    }

    /** A person's move: the change to store, or why it is refused. */
    public record Move(Change change, Optional<String> refusal) {
    }

    private static Outcome read(Profile profile, Device device, Device.Pending pending, WorkResponse response,
                                Instant now) {
        if (!response.success()) {
            return Outcome.setback(device, device.step(), response.errorText());
        }
        if (response.report() instanceof Report.Invalid invalid) {
            return Outcome.setback(device, device.step(), invalid.problem());
        }
        if (response.service() != pending.service()) {
            return Outcome.setback(device, device.step(), "device answered " + response.service().shortName()
                    + " to a " + pending.service().shortName() + " request");
        }
        return Steps.rule(device.step()).read().read(new Rule.Reading(profile, response, device, now));
    }

    /** A wait for the device; not awaited, so the device's acknowledgement of it changes nothing. */
    private static ServerMessage backoff(WorkRequest request, Optional<Credentials> credentials, String reason,
                                         Duration after) {
        return new ServerMessage.Request(request.udi(), request.correlator(), new Work.Backoff(reason, after),
                credentials);
    }

    /** A device being changed by one message, with the transitions the change makes. */
    private static final class Draft {
        private Device device;
        private final List<Transition> transitions = new ArrayList<>();

        Draft(Device device) {
            this.device = device;
        }

        void progress(Device.Progress progress) {
            device = device.with(progress);
        }

        void exchange(Device.Exchange exchange) {
            device = device.with(exchange);
        }

        /** Enters a step, with a transition; the day-0 config URL lives only while the device is in CONFIG_START. */
        void moveTo(Step step, String work, Optional<String> correlator, String result, Optional<String> error,
                    Instant now) {
            Step from = device.step();
            if (from == step) {
                return;
            }
            progress(device.progress().at(step, now).in(Phase.of(step)));
            if (step != Step.CONFIG_START) {
                exchange(device.exchange().withConfigGrant(Optional.empty()));
            }
            record(from, step, work, correlator, result, error, now);
        }

        void record(Step from, Step to, String work, Optional<String> correlator, String result,
                    Optional<String> error, Instant at) {
            progress(device.progress().counted());
            transitions.add(new Transition(device.serial(), device.progress().transitions(), from, to, device.phase(),
                    work, correlator, result, error, at));
        }

        Change change() {
            return new Change(device, List.copyOf(transitions));
        }

        Decision answer(ServerMessage message) {
            return new Decision(change(), message);
        }
    }
}
