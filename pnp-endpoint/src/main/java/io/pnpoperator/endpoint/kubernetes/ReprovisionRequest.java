package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.endpoint.workflow.Step;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;

/**
 * A value of the annotation {@value PnpDeviceStatus#REPROVISION} the endpoint has not acted on yet (it differs from
 * {@code status.reprovisioned}): the router is to be provisioned again, from NEW_DEVICE or from the step the
 * annotation {@value PnpDeviceStatus#REPROVISION_FROM} names. Who asked is the field manager of the latest write of
 * the object that was not ours, as the API server recorded it.
 *
 * @param refusal why it cannot be acted on (an unknown step), if so
 */
record ReprovisionRequest(String nonce, Step from, String who, Optional<String> refusal) {

    static Optional<ReprovisionRequest> of(PnpDevice resource) {
        Map<String, String> annotations = resource.getMetadata().getAnnotations();
        String nonce = annotations == null ? null : annotations.get(PnpDeviceStatus.REPROVISION);
        PnpDeviceStatus status = resource.getStatus();
        if (nonce == null || nonce.isBlank() || status == null || nonce.equals(status.reprovisioned())) {
            return Optional.empty();
        }
        String who = lastWriteByAPerson(resource).map(ManagedFieldsEntry::getManager).orElse("unknown");
        String step = annotations.getOrDefault(PnpDeviceStatus.REPROVISION_FROM, Step.NEW_DEVICE.name());
        if (Arrays.stream(Step.values()).noneMatch(s -> s.name().equals(step))) {
            return Optional.of(new ReprovisionRequest(nonce, Step.NEW_DEVICE, who, Optional.of(
                    PnpDeviceStatus.REPROVISION_FROM + " '" + step + "' is not a step: give one of "
                            + Arrays.toString(Step.values()))));
        }
        return Optional.of(new ReprovisionRequest(nonce, Step.valueOf(step), who, Optional.empty()));
    }

    /** How the transition names who asked: by the annotation and its writer. */
    String requestedBy() {
        return who + " (" + PnpDeviceStatus.REPROVISION + "=" + nonce + ")";
    }

    private static Optional<ManagedFieldsEntry> lastWriteByAPerson(PnpDevice resource) {
        return resource.getMetadata().getManagedFields() == null ? Optional.empty()
                : resource.getMetadata().getManagedFields().stream()
                        .filter(e -> e.getSubresource() == null || e.getSubresource().isEmpty())
                        .filter(e -> e.getManager() != null && !PersonsMove.OURS.contains(e.getManager())
                                && e.getTime() != null)
                        .max(Comparator.comparing(ManagedFieldsEntry::getTime));
    }
}
