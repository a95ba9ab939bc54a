package io.pnpoperator.endpoint.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.pnpoperator.endpoint.protocol.DeviceMessage;
import io.pnpoperator.endpoint.protocol.WorkResponse;
import io.pnpoperator.endpoint.provisioning.DeviceDialog;
import io.pnpoperator.endpoint.provisioning.InstallSlots;
import io.pnpoperator.endpoint.store.FleetCounts;
import io.pnpoperator.endpoint.workflow.Decision;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.Workflow;
import java.time.Duration;
import java.util.Optional;

/**
 * The fleet in Prometheus terms: {@code pnp_work_requests_total{work}}, {@code pnp_work_responses_total{work,result}},
 * {@code pnp_devices{phase}}, {@code pnp_devices_in_step{step}}, {@code pnp_step_failures_total{step}},
 * {@code pnp_provisioning_duration_seconds}, {@code pnp_artifact_bytes_sent_total},
 * {@code pnp_responses_ignored_total{reason}}, {@code pnp_registrations_refused_total{reason}}.
 */
public class PnpMetrics {

    private final MeterRegistry registry;
    private final Counter bytesSent;
    private final Timer provisioning;

    public PnpMetrics(MeterRegistry registry, FleetCounts counts, DeviceDialog dialog) {
        this.registry = registry;
        FunctionCounter.builder("pnp.store.conflicts", dialog, DeviceDialog::conflicts)
                .description("Device writes refused because another writer came first (then read and decided again)")
                .register(registry);
        FunctionCounter.builder("pnp.store.unavailable.backoffs", dialog, DeviceDialog::toldToComeBack)
                .description("Work requests answered with a backoff because the store could not be used")
                .register(registry);
        FunctionCounter.builder("pnp.store.implied.requests", dialog, DeviceDialog::impliedRequests)
                .description("Requests handed out that the stored state implied: the read confirmed, nothing written")
                .register(registry);
        this.bytesSent = Counter.builder("pnp.artifact.bytes.sent")
                .description("Bytes of images, files and configurations sent to devices").register(registry);
        this.provisioning = Timer.builder("pnp.provisioning.duration")
                .description("Time from a device's first contact to FINISHED").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofHours(6))
                .register(registry);
        FunctionCounter.builder("pnp.registrations.refused", dialog, d -> d.registrations().refusedForRate())
                .tag("reason", "rate").description("New serials not recorded: too many from one address, or too "
                        + "many unknown devices waiting").register(registry);
        FunctionCounter.builder("pnp.registrations.refused", dialog, d -> d.registrations().refusedForCap())
                .tag("reason", "unclaimed-cap").description("New serials not recorded: too many from one address, or "
                        + "too many unknown devices waiting").register(registry);
        for (Phase phase : Phase.values()) {
            Gauge.builder("pnp.devices", () -> counts.in(phase)).tag("phase", phase.label())
                    .description("Devices by phase").register(registry);
        }
        for (Step step : Step.values()) {
            Gauge.builder("pnp.devices.in.step", () -> counts.in(step)).tag("step", step.name())
                    .description("Devices by workflow step").register(registry);
        }
        Gauge.builder("pnp.image.installs.active", () -> InstallSlots.INSTALLING.stream().mapToLong(counts::in).sum())
                .description("Devices installing their image, reloading into it or being checked on it")
                .register(registry);
        Gauge.builder("pnp.image.installs.waiting", counts::inLine)
                .description("Devices waiting in line for an image install slot of their profile's rollout")
                .register(registry);
    }

    public void exchanged(DeviceMessage message, DeviceDialog.Exchange exchange) {
        if (message instanceof WorkResponse response) {
            Optional<Decision.Ignored> ignored = exchange.decision().flatMap(Decision::ignored);
            String result = exchange.decision().isEmpty() ? "unknown-device" : ignored.isPresent() ? "ignored"
                    : Workflow.resultOf(response);
            Counter.builder("pnp.work.responses").description("Device work responses by service and result")
                    .tag("work", response.service().shortName()).tag("result", result).register(registry).increment();
            ignored.ifPresent(why -> Counter.builder("pnp.responses.ignored")
                    .description("Device responses that changed nothing, by why (repeated, not-awaited, "
                            + "no-correlator, other-address, settled)")
                    .tag("reason", why.label()).register(registry).increment());
        } else {
            Counter.builder("pnp.work.requests").description("Work requests answered, by the service asked")
                    .tag("work", exchange.answer().service().shortName()).register(registry).increment();
        }
        exchange.decision().ifPresent(d -> d.change().transitions().stream()
                .filter(t -> t.to() == Step.FINISHED && t.from() != Step.FINISHED).findFirst()
                .ifPresent(t -> recordProvisioned(d.change().device())));
        exchange.decision().ifPresent(d -> d.change().transitions().stream().filter(t -> t.error().isPresent())
                .forEach(t -> Counter.builder("pnp.step.failures").description("Steps a device reported failed, by step")
                        .tag("step", t.from().name()).register(registry).increment()));
    }

    public void sent(long bytes) {
        bytesSent.increment(bytes);
    }

    private void recordProvisioned(Device device) {
        device.progress().finishedAt().ifPresent(done -> provisioning.record(Duration.between(
                device.identity().firstSeen(), done)));
    }
}
