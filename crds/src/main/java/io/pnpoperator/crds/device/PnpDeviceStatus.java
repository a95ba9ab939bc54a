package io.pnpoperator.crds.device;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Condition;
import io.pnpoperator.crds.UnknownAsAbsent;
import java.util.List;

/**
 * A router's progress, written by the endpoint, in the parts the endpoint's device has: where it is in the
 * workflow (at the top), who it is ({@code identity}), what it reported ({@code observed}) and the exchange in
 * flight ({@code exchange}). People may set {@code step} to move a device on, as they edited
 * DEVICE_STATUS.csv before.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = PnpDeviceStatus.UNMOVED + " || self.step != 'FINISHED'", fieldPath = ".step",
        message = "FINISHED is reached by the router running its script; to stop provisioning a router, set "
                + "spec.paused")
@ValidationRule(value = PnpDeviceStatus.UNMOVED + " || !has(self.phase) || self.phase != 'Provisioned'",
        fieldPath = ".step",
        message = "the router is provisioned: a step edit cannot send it back; delete the PnpDevice to forget it")
@ValidationRule(value = PnpDeviceStatus.UNMOVED + " || !has(self.exchange.pendingCorrelator) || !(self.exchange.step "
        + "in ['UPGRADE_INPROGRESS', 'UPGRADE_RELOAD_NEEDED', 'UPGRADE_RELOADING'])", fieldPath = ".step",
        message = "the router is installing or reloading its image: wait until it reports back before moving it")
@JsonIgnoreProperties(ignoreUnknown = true)
public record PnpDeviceStatus(
        @UnknownAsAbsent DevicePhase phase,
        @JsonPropertyDescription("Workflow step; set it to move the device on at its next contact") @UnknownAsAbsent
        DeviceStep step,
        @JsonPropertyDescription("Failed tries of the current step") Integer attempts,
        @JsonPropertyDescription("The device's own text of its last failure") String lastError,
        @JsonPropertyDescription("When the device entered its current step") String stepSince,
        @JsonPropertyDescription("When the device first reached FINISHED") String finishedAt,
        @JsonPropertyDescription("After a failed try: the next work request is answered with the retry backoff")
        Boolean backoffDue,
        @JsonPropertyDescription("The background command the device is waiting for (the guestshell's start)")
        Waiting waiting,
        @JsonPropertyDescription("Ready and ProfileResolved (the endpoint), Stalled (the operator)")
        List<Condition> conditions,
        Long observedGeneration,
        @JsonPropertyDescription("Who the device is and how it was last reached") Identity identity,
        @JsonPropertyDescription("What the device last reported of itself") Observed observed,
        @JsonPropertyDescription("The latest transitions, newest last") @Size(max = HISTORY_LIMIT) List<HistoryEntry> history,
        @JsonPropertyDescription("The exchange in flight, kept so any endpoint replica can answer the next message")
        Exchange exchange,
        @JsonPropertyDescription("The value of the annotation " + PnpDeviceStatus.REPROVISION + " the endpoint last "
                + "acted on: a new value provisions the router again") String reprovisioned,
        @JsonPropertyDescription("Its place in line for an image install slot of its profile's rollout (1: next); "
                + "absent when it is not waiting for one") Integer inLine) {

    /** Set to a new value (a nonce, e.g. the date) to have the router provisioned again, from NEW_DEVICE. */
    public static final String REPROVISION = "pnp.pnpoperator.io/reprovision";
    /** With {@link #REPROVISION}: the step to start again from, e.g. CONFIG_START (default NEW_DEVICE). */
    public static final String REPROVISION_FROM = "pnp.pnpoperator.io/reprovision-from";

    /** A status without a re-provisioning acted on. */
    public PnpDeviceStatus(DevicePhase phase, DeviceStep step, Integer attempts, String lastError, String stepSince,
                           String finishedAt, Boolean backoffDue, Waiting waiting, List<Condition> conditions,
                           Long observedGeneration, Identity identity, Observed observed, List<HistoryEntry> history,
                           Exchange exchange) {
        this(phase, step, attempts, lastError, stepSince, finishedAt, backoffDue, waiting, conditions,
                observedGeneration, identity, observed, history, exchange, null, null);
    }

    /**
     * The CEL test that no person moved the device: {@code status.step} is the step the endpoint last wrote
     * ({@code exchange.step}). The rules above apply only to a person's move, and say in CEL what the
     * endpoint's StepMoves says in Java.
     */
    static final String UNMOVED = "!has(self.step) || !has(self.exchange) || !has(self.exchange.step) "
            + "|| self.step == self.exchange.step";

    /** Transitions kept in the resource; the full history goes to the database when one is configured. */
    public static final int HISTORY_LIMIT = 50;

    /** The same status with other conditions. */
    public PnpDeviceStatus withConditions(List<Condition> newConditions) {
        return new PnpDeviceStatus(phase, step, attempts, lastError, stepSince, finishedAt, backoffDue, waiting,
                newConditions, observedGeneration, identity, observed, history, exchange, reprovisioned, inLine);
    }

    /** The same status at another step (what a person's move looks like). */
    public PnpDeviceStatus withStep(DeviceStep newStep) {
        return new PnpDeviceStatus(phase, newStep, attempts, lastError, stepSince, finishedAt, backoffDue, waiting,
                conditions, observedGeneration, identity, observed, history, exchange, reprovisioned, inLine);
    }

    /** The same status having acted on this value of the re-provisioning annotation. */
    public PnpDeviceStatus withReprovisioned(String nonce) {
        return new PnpDeviceStatus(phase, step, attempts, lastError, stepSince, finishedAt, backoffDue, waiting,
                conditions, observedGeneration, identity, observed, history, exchange, nonce, inLine);
    }

    /** When the device last sent a message, if it ever did. */
    public String lastContact() {
        return identity == null ? null : identity.lastContact();
    }

    /** The device's UDI, platform and addresses, and when it was first and last heard from. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Identity(String udi, String pid, String hostname, String ipAddress, String firstSeen,
                           String lastContact) {
    }

    /** What the device last reported: running version and image, bootflash space, guestshell, done steps. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Observed(@JsonPropertyDescription("Running IOS-XE version") String version,
                           @JsonPropertyDescription("Running image file") String image,
                           Long bootflashFree, String guestshell, Boolean configApplied, Boolean scriptRan) {
    }

    /** A command the device runs in the background (the step that sent it) and since when. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Waiting(@UnknownAsAbsent DeviceStep command, String since) {
    }

    /**
     * What the endpoint needs to continue a device's dialog on any replica: the request awaiting its answer,
     * the last answer applied (a repeat of it changes nothing), the day-0 config URL sent and not yet used, the
     * number of transitions so far, whether the device asks for credentials, and the step the endpoint last
     * wrote: when {@code status.step} differs from it, a person moved the device.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Exchange(String pendingCorrelator, String pendingService, String lastCorrelator, ConfigUrl configUrl,
                           Long transitions, @UnknownAsAbsent DeviceStep step, Boolean authRequired,
                           @JsonPropertyDescription("The device-auth challenge sent and not yet answered")
                           String authChallenge,
                           @JsonPropertyDescription("Who the device proved to be with its SUDI certificate, e.g. "
                                   + "PID:C1131-8PWB SN:FGL2548L0AW") String provenAs,
                           @JsonPropertyDescription("The last write applied the router's own answer: its next request "
                                   + "follows from this status, so handing it out is not written")
                           Boolean requestImplied) {
    }

    /**
     * The day-0 config URL sent to the device: never its secret, only the secret's SHA-256, when it was sent and
     * to which address. It works once, from that address, for a limited time.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConfigUrl(@JsonPropertyDescription("SHA-256 of the URL's secret, hex") String secretSha256,
                            String issuedAt, String boundTo) {
    }

    /** One transition of the device. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HistoryEntry(Long sequence, @UnknownAsAbsent DeviceStep from, @UnknownAsAbsent DeviceStep to,
                               @UnknownAsAbsent DevicePhase phase, String work,
                               String result, String error, String at) {
    }
}
