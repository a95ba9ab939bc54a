package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.Condition;
import io.pnpoperator.toolkit.kubernetes.Conditions;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.endpoint.protocol.Service;
import io.pnpoperator.endpoint.workflow.ConfigGrant;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Profile;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.StepMoves;
import io.pnpoperator.endpoint.workflow.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** A device's state as PnpDevice status, and back: the workflow's values in the resource's terms. */
final class DeviceStatusMapping {

    /**
     * The conditions the endpoint owns; any other type in a status belongs to another writer. Those it wrote
     * before {@code Ready} said it all (Provisioned, Blocked, Failed, Held) are dropped as it meets them.
     */
    static final Set<String> ENDPOINT_CONDITIONS = Set.of("ProfileResolved", "Ready", "Provisioned", "Blocked",
            "Failed", "Held");

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
        Device.Progress p = d.progress();
        boolean held = (p.phase() == Phase.PENDING && pendingReason(p).equals(NO_PROFILE)) || p.phase() == Phase.UNCLAIMED;
        List<Condition> conditions = new ArrayList<>(List.of(
                condition(before, "ProfileResolved", !held, "ProfileReady", "provisioned with its profile", generation,
                        now, NO_PROFILE, p.lastError().orElse("")),
                ready(before, d, generation, now)));
        // Conditions of other writers (the operator's Stalled) are theirs: kept as they are.
        before.stream().filter(c -> !ENDPOINT_CONDITIONS.contains(c.getType())).forEach(conditions::add);
        return new PnpDeviceStatus(DevicePhase.valueOf(p.phase().name()), DeviceStep.valueOf(p.step().name()),
                p.attempts(), p.lastError().orElse(null), p.stepSince().toString(),
                p.finishedAt().map(Instant::toString).orElse(null), p.backoffDue(),
                p.waiting().map(w -> new PnpDeviceStatus.Waiting(DeviceStep.valueOf(w.command().name()),
                        w.since().toString())).orElse(null),
                List.copyOf(conditions), generation, identity(d.identity()), observed(d.observed()), List.copyOf(latest),
                exchange(d.exchange(), d.progress()), previous.map(PnpDeviceStatus::reprovisioned).orElse(null),
                p.inLine().isPresent() ? p.inLine().getAsInt() : null);
    }

    private static PnpDeviceStatus.Identity identity(Device.Identity i) {
        return new PnpDeviceStatus.Identity(i.udi(), i.pid(), i.hostname(), i.ipAddress(), i.firstSeen().toString(),
                i.lastContact().toString());
    }

    private static PnpDeviceStatus.Observed observed(Device.Observation o) {
        return new PnpDeviceStatus.Observed(o.version().orElse(null), o.image().orElse(null),
                o.bootflashFree().isPresent() ? o.bootflashFree().getAsLong() : null, o.guestshell().orElse(null),
                o.configApplied(), o.scriptRan());
    }

    private static PnpDeviceStatus.Exchange exchange(Device.Exchange x, Device.Progress p) {
        return new PnpDeviceStatus.Exchange(x.pending().map(Device.Pending::correlator).orElse(null),
                x.pending().map(pending -> pending.service().name()).orElse(null), x.lastCorrelator().orElse(null),
                x.configGrant().map(g -> new PnpDeviceStatus.ConfigUrl(g.tokenSha256(), g.issuedAt().toString(),
                        g.boundTo())).orElse(null), p.transitions(), DeviceStep.valueOf(p.step().name()),
                x.authRequired(), x.challenge().orElse(null), x.provenAs().orElse(null), x.requestImplied() ? true : null);
    }

    /**
     * The device a status describes. When a person changed {@code status.step} (as with kubectl patch), the
     * device is taken as moved there, the move counted as its next transition: the request in flight, the failure
     * count and error are dropped, as the admin API's move does. A move {@link StepMoves} refuses (a CRD without
     * its rules lets one through) is not taken: the device is as the endpoint wrote it, and the next write puts
     * the step back.
     */
    static Device toDevice(String serial, String profile, PnpDeviceStatus s) {
        PnpDeviceStatus.Exchange x = s.exchange() == null
                ? new PnpDeviceStatus.Exchange(null, null, null, null, 0L, s.step(), false, null, null, null) : s.exchange();
        if (x.step() != null && x.step() != s.step()) {
            Device written = toDevice(serial, profile, s.withStep(x.step()));
            Step to = Step.valueOf(s.step().name());
            if (StepMoves.refusal(written.step(), to, written.phase(), written.exchange().pending().isPresent())
                    .isPresent()) {
                return written;
            }
            Device moved = written.movedTo(to, written.identity().lastContact());
            return moved.with(moved.progress().counted());
        }
        PnpDeviceStatus.Identity i = s.identity();
        PnpDeviceStatus.Observed o = s.observed() == null
                ? new PnpDeviceStatus.Observed(null, null, null, null, false, false) : s.observed();
        return new Device(
                new Device.Identity(serial, orEmpty(i.pid()), vidOf(i.udi()), orEmpty(i.hostname()),
                        orEmpty(i.ipAddress()), Instant.parse(i.firstSeen()), Instant.parse(i.lastContact()), profile),
                new Device.Progress(Step.valueOf(s.step().name()), Phase.valueOf(s.phase().name()),
                        s.attempts() == null ? 0 : s.attempts(), Optional.ofNullable(s.lastError()),
                        Instant.parse(s.stepSince()), Optional.ofNullable(s.finishedAt()).map(Instant::parse),
                        x.transitions() == null ? 0 : x.transitions(),
                        Boolean.TRUE.equals(s.backoffDue()),
                        Optional.ofNullable(s.waiting()).map(w -> new Device.Waiting(Step.valueOf(w.command().name()),
                                Instant.parse(w.since()))),
                        s.inLine() == null ? OptionalInt.empty() : OptionalInt.of(s.inLine())),
                new Device.Observation(Optional.ofNullable(o.version()), Optional.ofNullable(o.image()),
                        o.bootflashFree() == null ? OptionalLong.empty() : OptionalLong.of(o.bootflashFree()),
                        Optional.ofNullable(o.guestshell()), Boolean.TRUE.equals(o.configApplied()),
                        Boolean.TRUE.equals(o.scriptRan())),
                new Device.Exchange(Optional.ofNullable(x.pendingCorrelator())
                        .map(c -> new Device.Pending(c, Service.valueOf(x.pendingService()))),
                        Optional.ofNullable(x.lastCorrelator()), Optional.ofNullable(x.configUrl()).map(u ->
                                new ConfigGrant(u.secretSha256(), Instant.parse(u.issuedAt()), u.boundTo())),
                        Boolean.TRUE.equals(x.authRequired()), Optional.ofNullable(x.authChallenge()),
                        Optional.ofNullable(x.provenAs()), Boolean.TRUE.equals(x.requestImplied())));
    }

    static Transition toTransition(String serial, PnpDeviceStatus.HistoryEntry h) {
        return new Transition(serial, h.sequence(), Step.valueOf(h.from().name()), Step.valueOf(h.to().name()),
                Phase.valueOf(h.phase().name()), h.work(), Optional.empty(), h.result(), Optional.ofNullable(h.error()),
                Instant.parse(h.at()));
    }

    /** The VID, which the status keeps only inside the UDI. */
    private static String vidOf(String udi) {
        if (udi == null) {
            return "";
        }
        for (String field : udi.split(",")) {
            if (field.startsWith("VID:")) {
                return field.substring(4);
            }
        }
        return "";
    }

    private static Condition condition(List<Condition> before, String type, boolean on, String reason, String message,
                                       Long generation, Instant now, String offReason, String offMessage) {
        return Conditions.next(before, type, on ? "True" : "False", on ? reason : offReason, on ? message : offMessage,
                generation, now);
    }

    /**
     * {@code Ready}: True once the router is provisioned, which is what {@code kubectl wait --for=condition=Ready},
     * kstatus and GitOps health checks read; while False, the reason says why and the message what to do.
     */
    private record Why(String reason, String message) {
    }

    private static Condition ready(List<Condition> before, Device d, Long generation, Instant now) {
        Device.Progress p = d.progress();
        String error = p.lastError().orElse("");
        Why why = switch (p.phase()) {
            case PROVISIONED -> new Why("Provisioned", "provisioned: " + p.step() + " reached");
            case PROVISIONING -> p.inLine().isPresent() ? new Why("WaitingForInstallSlot", "number "
                    + p.inLine().getAsInt() + " in line for an image install slot of profile " + d.identity().profile())
                    : new Why("Provisioning", "at " + p.step());
            case PENDING -> new Why(pendingReason(p), error);
            case UNCLAIMED -> new Why("Unclaimed", "not registered: create this PnpDevice with spec.profile to "
                    + "provision it");
            case BLOCKED -> new Why("BootflashNoSpace", "bootflash has " + d.observed().bootflashFree().orElse(0)
                    + " bytes free; free space, then set status.step to RUN_EVENT_MANAGER");
            case FAILED -> new Why("StepFailed", "failed at " + p.step() + ": " + error);
            case HELD -> new Why("ReappearedInFactoryState", error);
        };
        return Conditions.next(before, "Ready", p.phase() == Phase.PROVISIONED ? "True" : "False", why.reason(),
                why.message(), generation, now);
    }

    private static final String NO_PROFILE = "NoProfile";

    /**
     * Why a Pending device waits, for its conditions: no usable profile, no image for its platform, or its profile's
     * rollout paused — told apart by the start of its reason, these having no phase of their own.
     */
    private static String pendingReason(Device.Progress p) {
        String error = p.lastError().orElse("");
        return error.startsWith(Profile.NO_IMAGE_FOR_PLATFORM) ? "NoImageForPlatform"
                : error.startsWith(Profile.ROLLOUT_PAUSED) ? "RolloutPaused" : NO_PROFILE;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
