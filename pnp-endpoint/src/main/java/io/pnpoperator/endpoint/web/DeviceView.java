package io.pnpoperator.endpoint.web;

import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.StepMoves;
import io.pnpoperator.endpoint.workflow.Transition;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A device as the admin API shows it: what people need, without the exchange internals (correlators,
 * the config URL's hash, a challenge in flight); who it proved to be with its SUDI ({@code provenAs}) when it did.
 * {@code history}, and {@code moves} (the steps a person may move it to now), are only filled for a single device. {@code stepNumber} of {@code steps}: where its step is in
 * the workflow's order (a profile may skip some); {@code inLine}: its place in line for an image install slot.
 */
record DeviceView(String serial, String udi, String profile, String pid, String vid, String hostname, String ipAddress,
                  String phase, String step, int stepNumber, int steps, OptionalInt inLine,
                  int attempts, Optional<String> lastError, Instant firstSeen, Instant lastContact, Instant stepSince,
                  Optional<Instant> finishedAt, Optional<String> version, Optional<String> image,
                  OptionalLong bootflashFree, Optional<String> guestshell, boolean configApplied, boolean scriptRan,
                  Optional<String> provenAs, Optional<List<HistoryEntry>> history, Optional<List<String>> moves) {

    record HistoryEntry(long sequence, String from, String to, String phase, String work, String result,
                        Optional<String> error, Instant at) {
    }

    static DeviceView of(Device d) {
        Device.Identity i = d.identity();
        Device.Progress p = d.progress();
        Device.Observation o = d.observed();
        return new DeviceView(i.serial(), i.udi(), i.profile(), i.pid(), i.vid(), i.hostname(), i.ipAddress(),
                p.phase().label(), p.step().name(), p.step().ordinal() + 1, Step.values().length, p.inLine(),
                p.attempts(), p.lastError(), i.firstSeen(), i.lastContact(),
                p.stepSince(), p.finishedAt(), o.version(), o.image(), o.bootflashFree(), o.guestshell(),
                o.configApplied(), o.scriptRan(), d.exchange().provenAs(), Optional.empty(), Optional.empty());
    }

    /** One device with its history, and the steps {@link StepMoves} lets a person move it to now. */
    static DeviceView detailed(Device d, List<Transition> transitions) {
        List<String> moves = Arrays.stream(Step.values()).filter(to -> to != d.step() && StepMoves.refusal(d.step(), to,
                d.phase(), d.exchange().pending().isPresent()).isEmpty()).map(Step::name).toList();
        return of(d).withHistory(transitions, moves);
    }

    private DeviceView withHistory(List<Transition> transitions, List<String> allowedMoves) {
        return new DeviceView(serial, udi, profile, pid, vid, hostname, ipAddress, phase, step, stepNumber, steps, inLine,
                attempts, lastError,
                firstSeen,
                lastContact, stepSince, finishedAt, version, image, bootflashFree, guestshell, configApplied, scriptRan,
                provenAs, Optional.of(transitions.stream().map(t -> new HistoryEntry(t.sequence(), t.from().name(), t.to().name(),
                        t.phase().label(), t.work(), t.result(), t.error(), t.at())).toList()),
                Optional.of(allowedMoves));
    }
}
