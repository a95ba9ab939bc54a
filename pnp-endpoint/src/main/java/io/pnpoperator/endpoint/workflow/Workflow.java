package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.DeviceMessage;
import io.pnpoperator.endpoint.protocol.Service;
import io.pnpoperator.endpoint.protocol.ServerMessage;
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
        Device device = known.orElseGet(() -> Device.discovered(request.udi(), request.hostname(), contact));
        Device.Builder next = device.toBuilder().identity(request.udi(), request.hostname()).contact(contact)
                .profile(profile.name());
        if (device.phase() == Phase.PENDING || device.phase() == Phase.UNCLAIMED) {
            // Its profile is usable now: the device resumes where it was held.
            next.phase(Phase.of(device.step())).lastError(Optional.empty());
        }
        List<Transition> transitions = new ArrayList<>();

        if (device.phase() == Phase.FAILED) {
            Work wait = new Work.Backoff("provisioning failed at " + device.step() + ": "
                    + device.lastError().orElse("unknown error") + "; waiting for an operator", timings.failed());
            next.pending(Optional.of(new Device.Pending(request.correlator(), wait.service())));
            return decision(next, transitions, new ServerMessage.Request(request.udi(), request.correlator(), wait));
        }

        Step step = device.step();
        Rule rule = Steps.rule(Steps.firstActive(step, profile));
        while (rule.request().isEmpty()) {
            rule = Steps.rule(Steps.firstActive(rule.step().following(), profile));
        }
        moveTo(next, rule.step(), Service.WORK_INFO.shortName(), Optional.of(request.correlator()), RESULT_SENT,
                Optional.empty(), contact, transitions);
        if (rule.step() == Step.CONFIG_START && device.configToken().isEmpty()) {
            next.configToken(Optional.of(tokens.get()));
        }
        Work work = rule.request().get().build(profile, timings, next.build(), contact.links());
        if (rule.onSend().isPresent()) {
            moveTo(next, rule.onSend().get(), work.service().shortName(), Optional.of(request.correlator()),
                    RESULT_SENT, Optional.empty(), contact, transitions);
        }
        next.pending(Optional.of(new Device.Pending(request.correlator(), work.service())));
        return decision(next, transitions, new ServerMessage.Request(request.udi(), request.correlator(), work));
    }

    /** A device reports the result of its work: move it on, count a failed attempt, or ignore a repeat. */
    public Decision onWorkResponse(Profile profile, Device device, WorkResponse response, Contact contact) {
        Device.Builder next = device.toBuilder().identity(response.udi(), "").contact(contact).profile(profile.name());
        String correlator = response.correlator()
                .or(() -> device.pending().map(Device.Pending::correlator)).orElse("");
        ServerMessage bye = new ServerMessage.Bye(response.udi(), correlator);
        List<Transition> transitions = new ArrayList<>();

        boolean repeated = response.correlator().isPresent() && response.correlator().equals(device.lastCorrelator());
        boolean awaited = device.pending().filter(p -> p.correlator().equals(correlator)).isPresent();
        if (repeated || !awaited || device.phase() == Phase.FAILED) {
            // A retry of an answered response, an answer to a request superseded by an operator's move,
            // or the acknowledgement of a failed device's backoff: nothing to apply.
            return decision(next, transitions, bye);
        }
        Device.Pending pending = device.pending().get();
        next.pending(Optional.empty()).lastCorrelator(correlator);

        Outcome outcome = read(profile, device, pending, response, next);
        String result = resultOf(response);
        if (outcome.kind() != Outcome.Kind.SETBACK) {
            if (outcome.kind() == Outcome.Kind.ADVANCE) {
                next.attempts(0).lastError(Optional.empty());
            }
            moveTo(next, Steps.firstActive(outcome.next(), profile), pending.service().shortName(),
                    Optional.of(correlator), result, Optional.empty(), contact, transitions);
            return decision(next, transitions, bye);
        }

        int attempts = device.attempts() + 1;
        next.attempts(attempts).lastError(outcome.reason());
        if (attempts >= timings.maxAttempts()) {
            next.phase(Phase.FAILED);
            transitions.add(transition(next, device.step(), device.step(), pending.service().shortName(),
                    Optional.of(correlator), result, outcome.reason(), contact.now()));
            return decision(next, transitions, backoff(response, correlator, "failed after " + attempts
                    + " attempts: " + outcome.reason().orElse(""), timings.failed()));
        }
        Step retryAt = Steps.firstActive(outcome.next(), profile);
        next.step(retryAt, contact.now()).phase(Phase.of(retryAt));
        transitions.add(transition(next, device.step(), retryAt, pending.service().shortName(), Optional.of(correlator),
                result, outcome.reason(), contact.now()));
        return decision(next, transitions, backoff(response, correlator, "attempt " + attempts + " of "
                + timings.maxAttempts() + " failed: " + outcome.reason().orElse(""), timings.retry()));
    }

    /**
     * A device that no profile provisions yet (none given, not found, not ready, or the device is paused):
     * it is told why and to come back later; nothing about its progress changes.
     */
    public Decision onHeld(Optional<Device> known, DeviceMessage message,
                           String reason, Phase phase, Contact contact) {
        ServerMessage answer = message instanceof WorkRequest request
                ? new ServerMessage.Request(request.udi(), request.correlator(), new Work.Backoff(reason, timings.blocked()))
                : new ServerMessage.Bye(message.udi(), ((WorkResponse) message).correlator().orElse(""));
        Device device = known.orElseGet(() -> Device.discovered(message.udi(), "", contact)).toBuilder()
                .contact(contact).phase(phase).lastError(Optional.of(reason)).build();
        return new Decision(new Change(device, List.of()), answer);
    }

    /** How a response is named in history and metrics: success, failure (errorInfo) or fault. */
    public static String resultOf(WorkResponse response) {
        return response.success() ? RESULT_SUCCESS : response.service() == Service.FAULT ? RESULT_FAULT : RESULT_FAILURE;
    }

    /** A person moves a device to a step, as the old server's users edited DEVICE_STATUS.csv. */
    public Change moveByOperator(Device device, Step step, Instant now) {
        Device.Builder next = device.toBuilder().attempts(0).lastError(Optional.empty())
                .pending(Optional.empty()).configToken(Optional.empty());
        List<Transition> transitions = new ArrayList<>();
        next.phase(Phase.of(step)).step(step, now);
        transitions.add(transition(next, device.step(), step, RESULT_OPERATOR, Optional.empty(), RESULT_OPERATOR,
                Optional.empty(), now));
        return new Change(next.build(), List.copyOf(transitions));
    }

    private static Decision decision(Device.Builder device, List<Transition> transitions, ServerMessage answer) {
        return new Decision(new Change(device.build(), List.copyOf(transitions)), answer);
    }

    private static Outcome read(Profile profile, Device device, Device.Pending pending, WorkResponse response,
                                Device.Builder next) {
        if (!response.success()) {
            return Outcome.setback(device.step(), response.errorText());
        }
        if (response.service() != pending.service()) {
            return Outcome.setback(device.step(), "device answered " + response.service().shortName()
                    + " to a " + pending.service().shortName() + " request");
        }
        return Steps.rule(device.step()).read().read(profile, response, next);
    }

    private void moveTo(Device.Builder device, Step step, String work, Optional<String> correlator, String result,
                        Optional<String> error, Contact contact, List<Transition> transitions) {
        Step from = device.step();
        if (from == step) {
            return;
        }
        device.step(step, contact.now()).phase(Phase.of(step));
        if (step != Step.CONFIG_START) {
            device.configToken(Optional.empty());
        }
        transitions.add(transition(device, from, step, work, correlator, result, error, contact.now()));
    }

    private static Transition transition(Device.Builder device, Step from, Step to, String work,
                                         Optional<String> correlator, String result, Optional<String> error,
                                         Instant at) {
        return new Transition(device.serial(), device.nextSequence(), from, to, device.phase(), work,
                correlator, result, error, at);
    }

    private static ServerMessage backoff(WorkResponse response, String correlator, String reason,
                                         Duration after) {
        return new ServerMessage.Request(response.udi(), correlator, new Work.Backoff(reason, after));
    }
}
