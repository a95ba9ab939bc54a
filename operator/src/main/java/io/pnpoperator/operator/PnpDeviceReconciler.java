package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pnpoperator.toolkit.kubernetes.Conditions;
import io.pnpoperator.toolkit.kubernetes.Events;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileStatus;
import io.pnpoperator.toolkit.kubernetes.Keys;
import io.pnpoperator.toolkit.kubernetes.StatusPatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells people about a device before a router in a far branch finds out. A device registered ahead of
 * time gets {@code ProfileResolved}: whether the profile it names exists and is ready. A device still
 * provisioning that has not contacted any endpoint for longer than its step allows gets {@code Stalled}, and so
 * does one the endpoint left blocked, failed or held: every device that waits for a person.
 * Both come with a Warning Event when they turn bad. The endpoint owns every other status field, and
 * owns {@code ProfileResolved} too once the device has called; each write here — a JSON Patch that first
 * tests the resourceVersion — sets the conditions list and nothing else.
 */
// Status changes (the endpoint's writes) are what matter here, and they do not change the generation.
@ControllerConfiguration(name = "pnpdevice", generationAwareEventProcessing = false)
public final class PnpDeviceReconciler implements Reconciler<PnpDevice> {

    private static final Logger log = LoggerFactory.getLogger(PnpDeviceReconciler.class);
    static final String STALLED = "Stalled";
    static final String PROFILE_RESOLVED = "ProfileResolved";
    static final String NO_CONTACT = "NoContact";
    /** Phases the endpoint leaves a device in until a person acts. */
    static final Set<DevicePhase> NEEDS_A_PERSON = Set.of(DevicePhase.BLOCKED, DevicePhase.FAILED, DevicePhase.HELD);
    /** Steps whose exchange includes an image copy or a reload: minutes of silence are normal there. */
    static final Set<DeviceStep> IMAGE_STEPS = Set.of(DeviceStep.UPGRADE_INPROGRESS, DeviceStep.UPGRADE_RELOAD_NEEDED,
            DeviceStep.UPGRADE_RELOADING);

    private final KubernetesClient client;
    private final Events events;
    private final Duration stalledAfter;
    private final Duration imageAllowance;
    private final Clock clock;
    private InformerEventSource<PnpProfile, PnpDevice> profiles;
    private IndexerResourceCache<PnpDevice> devices;

    PnpDeviceReconciler(KubernetesClient client, Duration stalledAfter, Duration imageAllowance, Clock clock) {
        this.client = client;
        this.events = new Events(client, "pnp-operator", Events.thisInstance());
        this.stalledAfter = stalledAfter;
        this.imageAllowance = imageAllowance;
        this.clock = clock;
    }

    /** Profiles, so that a profile turning ready (or going away) updates the devices registered for it. */
    @Override
    public List<EventSource<?, PnpDevice>> prepareEventSources(EventSourceContext<PnpDevice> context) {
        devices = context.getPrimaryCache();
        devices.addIndexer(Indexes.DEVICES_BY_PROFILE, Indexes::profileOf);
        profiles = new InformerEventSource<>(InformerEventSourceConfiguration.from(PnpProfile.class, PnpDevice.class)
                .withName("profiles").withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache().byIndex(Indexes.DEVICES_BY_PROFILE,
                        Keys.of(p)).stream()
                        .filter(d -> !contacted(d)).map(ResourceID::fromResource).collect(Collectors.toSet()))
                .build(), context);
        return List.of(profiles);
    }

    @Override
    public UpdateControl<PnpDevice> reconcile(PnpDevice device, Context<PnpDevice> context) {
        if (!contacted(device)) {
            resolveProfile(device);
            return UpdateControl.noUpdate();
        }
        PnpDeviceStatus status = device.getStatus();
        if (status.phase() == null) {
            return UpdateControl.noUpdate();
        }
        // A status with a phase and no step (written by another version, or by hand) is judged by its silence alone.
        boolean imageStep = status.step() != null && IMAGE_STEPS.contains(status.step());
        Duration allowed = imageStep ? stalledAfter.plus(imageAllowance) : stalledAfter;
        Duration silent = Duration.between(Instant.parse(status.lastContact()), clock.instant());
        boolean provisioning = status.phase() == DevicePhase.PROVISIONING;
        Condition stalled = stalled(device, allowed, silent);
        Optional<Condition> was = Conditions.find(status.conditions(), STALLED);
        // No condition reads as not stalled: a device that never stalled costs no write.
        boolean changed = was.isEmpty() ? "True".equals(stalled.getStatus())
                : !was.get().getStatus().equals(stalled.getStatus()) || !was.get().getReason().equals(stalled.getReason());
        if (changed) {
            write(device, stalled);
        }
        UpdateControl<PnpDevice> done = UpdateControl.noUpdate();
        // Time alone makes a device stalled: look again when its allowance runs out.
        return provisioning && "False".equals(stalled.getStatus())
                ? done.rescheduleAfter(allowed.minus(silent).plusSeconds(1)) : done;
    }

    /**
     * {@code Stalled} (True: a person must act, as kstatus reads it): the router stopped calling mid-provisioning,
     * or the endpoint stopped it — blocked, failed, held — for the reason its {@code Ready} condition gives.
     */
    private Condition stalled(PnpDevice device, Duration allowed, Duration silent) {
        PnpDeviceStatus status = device.getStatus();
        Long generation = device.getMetadata().getGeneration();
        if (NEEDS_A_PERSON.contains(status.phase())) {
            Optional<Condition> ready = Conditions.find(status.conditions(), "Ready");
            return Conditions.next(conditions(device), STALLED, "True", ready.map(Condition::getReason)
                    .orElse(status.phase().toString()), ready.map(Condition::getMessage).orElse(status.lastError()),
                    generation, clock.instant());
        }
        boolean silentTooLong = status.phase() == DevicePhase.PROVISIONING && silent.compareTo(allowed) > 0;
        return Conditions.next(conditions(device), STALLED, silentTooLong ? "True" : "False",
                silentTooLong ? NO_CONTACT : "InContact", silentTooLong ? "no contact for " + silent.toMinutes()
                        + " min" + (status.step() == null ? "" : " in step " + status.step()) + " (allowed "
                        + allowed.toMinutes() + " min): check the "
                        + "router's power and path to the PnP server" : "", generation, clock.instant());
    }

    /** Devices that stopped calling mid-provisioning (Stalled for NoContact), from the operator's cache. */
    double stalledDevices() {
        return devices == null ? 0 : devices.list().filter(d -> d.getStatus() != null && Conditions.find(
                d.getStatus().conditions(), STALLED).filter(c -> "True".equals(c.getStatus())
                && NO_CONTACT.equals(c.getReason())).isPresent()).count();
    }

    /** For a device no endpoint has heard from: can its profile provision it when it calls? */
    private void resolveProfile(PnpDevice device) {
        String name = device.getSpec().profile();
        Optional<PnpProfile> profile = name == null ? Optional.empty()
                : profiles.get(new ResourceID(name, device.getMetadata().getNamespace()));
        boolean ready = profile.map(PnpProfile::getStatus).map(PnpProfileStatus::ready).orElse(false);
        String reason = name == null ? "NoProfile" : profile.isEmpty() ? "ProfileNotFound"
                : ready ? "ProfileReady" : "ProfileNotReady";
        String message = name == null ? "no profile: set spec.profile to provision this device"
                : profile.isEmpty() ? "profile " + name + " not found in namespace " + device.getMetadata().getNamespace()
                : ready ? "profile " + name + " is ready: the device is provisioned when it calls"
                : "profile " + name + " is not ready: " + PnpProfileStatus.whyNotReady(profile.get().getStatus());
        Optional<Condition> now = Conditions.find(conditions(device), PROFILE_RESOLVED);
        if (now.isEmpty() || !reason.equals(now.get().getReason()) || !message.equals(now.get().getMessage())) {
            write(device, Conditions.next(conditions(device), PROFILE_RESOLVED, ready ? "True" : "False", reason, message,
                    device.getMetadata().getGeneration(), clock.instant()));
        }
    }

    /** Replaces one condition; a Warning Event when it turned bad. */
    private void write(PnpDevice device, Condition condition) {
        List<Condition> conditions = new ArrayList<>(conditions(device).stream()
                .filter(c -> !condition.getType().equals(c.getType())).toList());
        conditions.add(condition);
        // Refused when the endpoint wrote meanwhile: the failure makes the framework reconcile again, fresh.
        if (device.getStatus() == null) {
            StatusPatch.set(client, device, "/status", Map.of("conditions", conditions));
        } else {
            StatusPatch.set(client, device, "/status/conditions", conditions);
        }
        boolean stalled = STALLED.equals(condition.getType());
        // Stalled is bad when True; ProfileResolved when False.
        boolean bad = stalled ? "True".equals(condition.getStatus()) : "False".equals(condition.getStatus());
        boolean changed = Conditions.find(conditions(device), condition.getType())
                .map(c -> !c.getStatus().equals(condition.getStatus()) || !c.getReason().equals(condition.getReason()))
                .orElse(true);
        if (bad && changed) {
            try {
                events.record(device, "Warning", stalled ? STALLED : condition.getReason(), condition.getMessage(),
                        clock.instant());
            } catch (KubernetesClientException e) {
                // The condition is written; the Event is a courtesy and is not worth a second write.
                log.warn("could not record the event for PnpDevice {}: {}", device.getMetadata().getName(), e.getMessage());
            }
        }
    }

    /** Has an endpoint begun this device? Until then, its status is the operator's to write. */
    private static boolean contacted(PnpDevice device) {
        return device.getStatus() != null && device.getStatus().lastContact() != null;
    }

    private static List<Condition> conditions(PnpDevice device) {
        return device.getStatus() == null || device.getStatus().conditions() == null ? List.of()
                : device.getStatus().conditions();
    }
}
