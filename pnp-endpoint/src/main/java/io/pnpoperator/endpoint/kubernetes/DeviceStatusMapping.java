package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.Condition;
import io.pnpoperator.crds.Conditions;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.endpoint.protocol.Service;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** A device's state as PnpDevice status, and back: the workflow's values in the resource's terms. */
final class DeviceStatusMapping {

    /** The conditions the endpoint owns; any other type in a status belongs to another writer. */
    static final Set<String> ENDPOINT_CONDITIONS = Set.of("ProfileResolved", "Provisioned", "Blocked", "Failed");

    private DeviceStatusMapping() {
    }

    static PnpDeviceStatus toStatus(Device d, Optional<PnpDeviceStatus> previous, List<Transition> transitions,
                                    Long generation, Instant now) {
        List<PnpDeviceStatus.HistoryEntry> history = new ArrayList<>(previous.map(PnpDeviceStatus::history)
                .orElse(List.of()));
        transitions.forEach(t -> history.add(new PnpDeviceStatus.HistoryEntry(t.sequence(), DeviceStep.valueOf(t.from().name()),
                DeviceStep.valueOf(t.to().name()), DevicePhase.valueOf(t.phase().name()), t.work(), t.result(),
                t.error().orElse(null), t.at().toString())));
        List<PnpDeviceStatus.HistoryEntry> latest = history.subList(Math.max(0, history.size()
                - PnpDeviceStatus.HISTORY_LIMIT), history.size());
        List<Condition> before = previous.map(PnpDeviceStatus::conditions).orElse(List.of());
        boolean held = d.phase() == Phase.PENDING || d.phase() == Phase.UNCLAIMED;
        List<Condition> conditions = new ArrayList<>(List.of(
                condition(before, "ProfileResolved", !held, "ProfileReady", "provisioned with its profile", now,
                        "NoProfile", d.lastError().orElse("")),
                condition(before, "Provisioned", d.phase() == Phase.PROVISIONED, "Finished", "device is provisioned", now),
                condition(before, "Blocked", d.phase() == Phase.BLOCKED, "BootflashNoSpace", "bootflash has "
                        + d.bootflashFree().orElse(0) + " bytes free; free space, then set status.step to "
                        + "RUN_EVENT_MANAGER", now),
                condition(before, "Failed", d.phase() == Phase.FAILED, "StepFailed", "failed at " + d.step() + ": "
                        + d.lastError().orElse(""), now)));
        // Conditions of other writers (the operator's Stalled) are theirs: kept as they are.
        before.stream().filter(c -> !ENDPOINT_CONDITIONS.contains(c.getType())).forEach(conditions::add);
        return new PnpDeviceStatus(DevicePhase.valueOf(d.phase().name()), DeviceStep.valueOf(d.step().name()),
                d.udi(), d.pid(), d.hostname(), d.ipAddress(),
                d.firstSeen().toString(), d.lastContact().toString(), d.stepSince().toString(),
                d.finishedAt().map(Instant::toString).orElse(null), d.version().orElse(null), d.image().orElse(null),
                d.bootflashFree().isPresent() ? d.bootflashFree().getAsLong() : null, d.guestshell().orElse(null),
                d.configApplied(), d.scriptRan(), d.attempts(), d.lastError().orElse(null), List.copyOf(conditions),
                generation,
                List.copyOf(latest), new PnpDeviceStatus.Exchange(d.pending().map(Device.Pending::correlator).orElse(null),
                d.pending().map(p -> p.service().name()).orElse(null), d.lastCorrelator().orElse(null),
                d.configToken().orElse(null), d.sequence(), DeviceStep.valueOf(d.step().name())));
    }

    /**
     * The device a status describes. When a person changed {@code status.step} (as with kubectl patch), the
     * device is taken as moved there: the request in flight, the failure count and error are dropped, as
     * the admin API's move does.
     */
    static Device toDevice(String serial, String vid, String profile, PnpDeviceStatus s) {
        PnpDeviceStatus.Exchange x = s.exchange() == null
                ? new PnpDeviceStatus.Exchange(null, null, null, null, 0L, s.step()) : s.exchange();
        if (x.step() != null && x.step() != s.step()) {
            Device written = toDevice(serial, vid, profile, withStep(s, x.step()));
            return written.toBuilder().step(Step.valueOf(s.step().name()), written.lastContact())
                    .phase(Phase.of(Step.valueOf(s.step().name()))).attempts(0).lastError(Optional.empty())
                    .pending(Optional.empty()).configToken(Optional.empty()).build();
        }
        Optional<Device.Pending> pending = Optional.ofNullable(x.pendingCorrelator())
                .map(c -> new Device.Pending(c, Service.valueOf(x.pendingService())));
        return new Device(serial, orEmpty(s.pid()), vid, orEmpty(s.hostname()), orEmpty(s.ipAddress()),
                Step.valueOf(s.step().name()), Phase.valueOf(s.phase().name()), s.attempts() == null ? 0 : s.attempts(),
                Optional.ofNullable(s.lastError()), Instant.parse(s.firstSeen()), Instant.parse(s.lastContact()),
                Instant.parse(s.stepSince()), Optional.ofNullable(s.finishedAt()).map(Instant::parse),
                Optional.ofNullable(s.version()), Optional.ofNullable(s.image()),
                s.bootflashFree() == null ? OptionalLong.empty() : OptionalLong.of(s.bootflashFree()),
                Optional.ofNullable(s.guestshell()), Boolean.TRUE.equals(s.configApplied()),
                Boolean.TRUE.equals(s.scriptRan()), pending, Optional.ofNullable(x.lastCorrelator()),
                Optional.ofNullable(x.configToken()), x.transitions() == null ? 0 : x.transitions(), profile);
    }

    static Transition toTransition(String serial, PnpDeviceStatus.HistoryEntry h) {
        return new Transition(serial, h.sequence(), Step.valueOf(h.from().name()), Step.valueOf(h.to().name()),
                Phase.valueOf(h.phase().name()), h.work(), Optional.empty(), h.result(), Optional.ofNullable(h.error()),
                Instant.parse(h.at()));
    }

    private static PnpDeviceStatus withStep(PnpDeviceStatus s, DeviceStep step) {
        return new PnpDeviceStatus(s.phase(), step, s.udi(), s.pid(), s.hostname(), s.ipAddress(), s.firstSeen(),
                s.lastContact(), s.stepSince(), s.finishedAt(), s.version(), s.image(), s.bootflashFree(), s.guestshell(),
                s.configApplied(), s.scriptRan(), s.attempts(), s.lastError(), s.conditions(), s.observedGeneration(),
                s.history(), s.exchange());
    }

    /** The VID, which the status keeps only inside the UDI. */
    static String vidOf(PnpDeviceStatus s) {
        if (s.udi() == null) {
            return "";
        }
        for (String field : s.udi().split(",")) {
            if (field.startsWith("VID:")) {
                return field.substring(4);
            }
        }
        return "";
    }

    private static Condition condition(List<Condition> before, String type, boolean on, String reason, String message,
                                       Instant now) {
        return condition(before, type, on, reason, message, now, "No" + reason, "");
    }

    private static Condition condition(List<Condition> before, String type, boolean on, String reason, String message,
                                       Instant now, String offReason, String offMessage) {
        return Conditions.next(before, type, on ? "True" : "False", on ? reason : offReason, on ? message : offMessage,
                now);
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
