package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.Credentials;
import io.pnpoperator.endpoint.protocol.DeviceMessage;
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
    public static final String RESULT_OPERATOR = "operator";

    private final Timings timings;
    private final Supplier<String> tokens;

    /** @param tokens makes the secrets of day-0 config URLs (a secure random source in production) */
    public Workflow(Timings timings, Supplier<String> tokens) {
        this.timings = timings;
        this.tokens = tokens;
    }

    /** A device asks for work: answer with its current step's request under its profile, or a backoff. */
    public Decision onWorkRequest(Profile profile, Optional<Device> known, WorkRequest request, Contact contact) {
        if (request.authRequired() && profile.credentials().isEmpty()) {
            return onHeld(known, request, "the device asks for credentials (authRequired) and profile '"
                    + profile.name() + "' has none: set spec.credentialsSecret", Phase.PENDING, contact);
        }
        Device device = known.orElseGet(() -> Device.discovered(request.udi(), request.hostname(), contact));
        Draft draft = new Draft(device.with(device.identity().seenAs(request.udi(), request.hostname())
                .contacted(contact, profile.name())).with(device.exchange().withAuthRequired(request.authRequired())));
        if (device.phase() == Phase.PENDING || device.phase() == Phase.UNCLAIMED) {
            // Its profile is usable now: the device resumes where it was held.
            draft.progress(draft.device.progress().in(Phase.of(device.step())).tried(device.progress().attempts(),
                    Optional.empty()));
        }
        Optional<Credentials> credentials = request.authRequired() ? profile.credentials() : Optional.empty();

        if (device.phase() == Phase.FAILED) {
            return draft.answer(backoff(request, credentials, "provisioning failed at " + device.step() + ": "
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

        Rule rule = Steps.rule(Steps.firstActive(device.step(), profile));
        while (rule.request().isEmpty()) {
            rule = Steps.rule(Steps.firstActive(rule.step().following(), profile));
        }
        draft.moveTo(rule.step(), Service.WORK_INFO.shortName(), Optional.of(request.correlator()), RESULT_SENT,
                Optional.empty(), contact.now());
        if (rule.step() == Step.CONFIG_START && draft.device.exchange().configToken().isEmpty()) {
            draft.exchange(draft.device.exchange().withConfigToken(Optional.of(tokens.get())));
        }
        Work work = rule.request().get().build(profile, timings, draft.device, contact.links());
        if (rule.onSend().isPresent()) {
            draft.moveTo(rule.onSend().get(), work.service().shortName(), Optional.of(request.correlator()),
                    RESULT_SENT, Optional.empty(), contact.now());
        }
        draft.exchange(draft.device.exchange().awaiting(Optional.of(new Device.Pending(request.correlator(),
                work.service()))));
        return draft.answer(new ServerMessage.Request(request.udi(), request.correlator(), work, credentials));
    }

    /**
     * A device reports the result of its work: move it on, or count a failed attempt and have it wait before
     * the step is tried again; a repeat or an answer to nothing awaited changes nothing. Always answered bye.
     */
    public Decision onWorkResponse(Profile profile, Device device, WorkResponse response, Contact contact) {
        Draft draft = new Draft(device.with(device.identity().seenAs(response.udi(), "")
                .contacted(contact, profile.name())));
        String correlator = response.correlator()
                .or(() -> device.exchange().pending().map(Device.Pending::correlator)).orElse("");
        ServerMessage bye = new ServerMessage.Bye(response.udi(), correlator,
                device.exchange().authRequired() ? profile.credentials() : Optional.empty());

        boolean repeated = response.correlator().isPresent()
                && response.correlator().equals(device.exchange().lastCorrelator());
        boolean awaited = device.exchange().pending().filter(p -> p.correlator().equals(correlator)).isPresent();
        if (repeated || !awaited || device.phase() == Phase.FAILED) {
            // A retry of an answered response, an answer to a request superseded by an operator's move, or the
            // acknowledgement of a backoff: nothing to apply.
            return draft.answer(bye);
        }
        Device.Pending pending = device.exchange().pending().get();
        draft.exchange(draft.device.exchange().answered(correlator));

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
        ServerMessage answer = message instanceof WorkRequest request
                ? backoff(request, Optional.empty(), reason, timings.blocked())
                : new ServerMessage.Bye(message.udi(), ((WorkResponse) message).correlator().orElse(""),
                        Optional.empty());
        Device device = known.orElseGet(() -> Device.discovered(message.udi(), "", contact));
        device = device.with(device.identity().contacted(contact))
                .with(device.progress().in(phase).tried(device.progress().attempts(), Optional.of(reason)));
        return new Decision(new Change(device, List.of()), answer);
    }

    /** How a response is named in history and metrics: success, failure (errorInfo) or fault. */
    public static String resultOf(WorkResponse response) {
        return response.success() ? RESULT_SUCCESS : response.service() == Service.FAULT ? RESULT_FAULT : RESULT_FAILURE;
    }

    /** A person moves a device to a step, as the old server's users edited DEVICE_STATUS.csv. */
    public Change moveByOperator(Device device, Step step, Instant now) {
        Draft draft = new Draft(device.movedTo(step, now));
        draft.record(device.step(), step, RESULT_OPERATOR, Optional.empty(), RESULT_OPERATOR, Optional.empty(), now);
        return draft.change();
    }

    private static Outcome read(Profile profile, Device device, Device.Pending pending, WorkResponse response,
                                Instant now) {
        if (!response.success()) {
            return Outcome.setback(device, device.step(), response.errorText());
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
                exchange(device.exchange().withConfigToken(Optional.empty()));
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
