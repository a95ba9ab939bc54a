package io.pnpoperator.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.pnpoperator.crds.PnpApi;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Tells people when a router in a far branch has gone quiet: a device still provisioning that has not
 * contacted any endpoint for longer than its step allows gets the condition {@code Stalled} (and an
 * Event). The operator owns that one condition; the endpoint owns every other status field, and the
 * write — a JSON Patch that first tests the resourceVersion — replaces nothing else.
 */
// Status changes (the endpoint's writes) are what matter here, and they do not change the generation.
@ControllerConfiguration(name = "pnpdevice", generationAwareEventProcessing = false)
public final class PnpDeviceReconciler implements Reconciler<PnpDevice> {

    static final String STALLED = "Stalled";
    /** Steps whose exchange includes an image copy or a reload: minutes of silence are normal there. */
    static final Set<DeviceStep> IMAGE_STEPS = Set.of(DeviceStep.UPGRADE_INPROGRESS, DeviceStep.UPGRADE_RELOAD_NEEDED,
            DeviceStep.UPGRADE_RELOADING);

    private final KubernetesClient client;
    private final Duration stalledAfter;
    private final Duration imageAllowance;
    private final Clock clock;

    PnpDeviceReconciler(KubernetesClient client, Duration stalledAfter, Duration imageAllowance, Clock clock) {
        this.client = client;
        this.stalledAfter = stalledAfter;
        this.imageAllowance = imageAllowance;
        this.clock = clock;
    }

    @Override
    public UpdateControl<PnpDevice> reconcile(PnpDevice device, Context<PnpDevice> context) {
        PnpDeviceStatus status = device.getStatus();
        if (status == null || status.lastContact() == null || status.phase() == null) {
            return UpdateControl.noUpdate();
        }
        Duration allowed = IMAGE_STEPS.contains(status.step()) ? stalledAfter.plus(imageAllowance) : stalledAfter;
        Duration silent = Duration.between(Instant.parse(status.lastContact()), clock.instant());
        boolean provisioning = status.phase() == DevicePhase.PROVISIONING;
        boolean stalled = provisioning && silent.compareTo(allowed) > 0;
        Optional<Condition> before = conditions(status).stream().filter(c -> STALLED.equals(c.getType())).findFirst();
        boolean wasStalled = before.map(c -> "True".equals(c.getStatus())).orElse(false);
        if (stalled != wasStalled) {
            write(device, status, stalled, silent);
        }
        UpdateControl<PnpDevice> done = UpdateControl.noUpdate();
        // Time alone makes a device stalled: look again when its allowance runs out.
        return provisioning && !stalled ? done.rescheduleAfter(allowed.minus(silent).plusSeconds(1)) : done;
    }

    private void write(PnpDevice device, PnpDeviceStatus status, boolean stalled, Duration silent) {
        String message = stalled ? "no contact for " + silent.toMinutes() + " min in step " + status.step()
                + " (allowed " + (IMAGE_STEPS.contains(status.step()) ? stalledAfter.plus(imageAllowance) : stalledAfter)
                .toMinutes() + " min): check the router's power and path to the PnP server" : "";
        List<Condition> conditions = new ArrayList<>(conditions(status).stream()
                .filter(c -> !STALLED.equals(c.getType())).toList());
        conditions.add(new ConditionBuilder().withType(STALLED).withStatus(stalled ? "True" : "False")
                .withReason(stalled ? "NoContact" : "InContact").withMessage(message)
                .withLastTransitionTime(clock.instant().toString()).build());
        String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                + device.getMetadata().getResourceVersion() + "\"},{\"op\":\"add\",\"path\":\"/status/conditions\","
                + "\"value\":" + client.getKubernetesSerialization().asJson(conditions) + "}]";
        // Refused when the endpoint wrote meanwhile: the failure makes the framework reconcile again, fresh.
        client.resource(device).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
        if (stalled) {
            client.v1().events().inNamespace(device.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(device.getMetadata().getName() + "-")
                    .withNamespace(device.getMetadata().getNamespace()).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion(PnpApi.API_VERSION).withKind("PnpDevice")
                            .withName(device.getMetadata().getName()).withNamespace(device.getMetadata().getNamespace())
                            .withUid(device.getMetadata().getUid()).build())
                    .withType("Warning").withReason("Stalled").withMessage(message)
                    .withFirstTimestamp(clock.instant().toString()).withLastTimestamp(clock.instant().toString())
                    .withCount(1).withNewSource().withComponent("pnp-operator").endSource().build()).create();
        }
    }

    private static List<Condition> conditions(PnpDeviceStatus status) {
        return status.conditions() == null ? List.of() : status.conditions();
    }
}
