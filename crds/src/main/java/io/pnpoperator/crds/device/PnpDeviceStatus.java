package io.pnpoperator.crds.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * A router's progress, written by the endpoint. People may set {@code step} to move a device on, as they
 * edited DEVICE_STATUS.csv before.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PnpDeviceStatus(
        DevicePhase phase,
        @JsonPropertyDescription("Workflow step; set it to move the device on at its next contact") DeviceStep step,
        String udi,
        String pid,
        String hostname,
        String ipAddress,
        String firstSeen,
        String lastContact,
        @JsonPropertyDescription("When the device entered its current step") String stepSince,
        @JsonPropertyDescription("When the device first reached FINISHED") String finishedAt,
        @JsonPropertyDescription("Running IOS-XE version") String version,
        @JsonPropertyDescription("Running image file") String image,
        Long bootflashFree,
        String guestshell,
        Boolean configApplied,
        Boolean scriptRan,
        @JsonPropertyDescription("Failed tries of the current step") Integer attempts,
        @JsonPropertyDescription("The device's own text of its last failure") String lastError,
        @JsonPropertyDescription("Provisioned, Blocked, Failed, ProfileResolved") List<Condition> conditions,
        Long observedGeneration,
        @JsonPropertyDescription("The latest transitions, newest last") @Size(max = HISTORY_LIMIT) List<HistoryEntry> history,
        @JsonPropertyDescription("The exchange in flight, kept so any endpoint replica can answer the next message")
        Exchange exchange) {

    /** The same status with other conditions. */
    public PnpDeviceStatus withConditions(List<Condition> newConditions) {
        return new PnpDeviceStatus(phase, step, udi, pid, hostname, ipAddress, firstSeen, lastContact, stepSince,
                finishedAt, version, image, bootflashFree, guestshell, configApplied, scriptRan, attempts, lastError,
                newConditions, observedGeneration, history, exchange);
    }

    /** Transitions kept in the resource; the full history goes to the database when one is configured. */
    public static final int HISTORY_LIMIT = 50;

    /**
     * What the endpoint needs to continue a device's dialog on any replica: the request awaiting its answer,
     * the last answer applied (a repeat of it changes nothing), the day-0 config URL's token, and the
     * number of transitions so far, and the step the endpoint last wrote: when {@code status.step} differs
     * from it, a person moved the device.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Exchange(String pendingCorrelator, String pendingService, String lastCorrelator, String configToken,
                           Long transitions, DeviceStep step) {
    }

    /** One transition of the device. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HistoryEntry(Long sequence, DeviceStep from, DeviceStep to, DevicePhase phase, String work,
                               String result, String error, String at) {
    }
}
