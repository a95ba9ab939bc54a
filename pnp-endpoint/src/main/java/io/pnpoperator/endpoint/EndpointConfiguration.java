package io.pnpoperator.endpoint;

import io.micrometer.core.instrument.MeterRegistry;
import io.pnpoperator.endpoint.identity.SudiCheck;
import io.pnpoperator.endpoint.metrics.ExpositionFilter;
import io.pnpoperator.endpoint.metrics.PnpMetrics;
import io.pnpoperator.endpoint.protocol.PnpCodec;
import io.pnpoperator.endpoint.provisioning.DeviceDialog;
import io.pnpoperator.endpoint.provisioning.InstallSlots;
import io.pnpoperator.endpoint.provisioning.ProfileSource;
import io.pnpoperator.endpoint.provisioning.Registrations;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.store.FleetCounts;
import io.pnpoperator.endpoint.workflow.IdentityProof;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Security;
import io.pnpoperator.endpoint.workflow.Workflow;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What both modes share: the codec, the workflow and the dialog around whichever store and profiles they give. */
@Configuration(proxyBeanMethods = false)
class EndpointConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Where artifact files replaced while the server runs are measured: one file at a time, never a request. */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService artifactMeasuring() {
        return Executors.newSingleThreadExecutor(job -> {
            Thread thread = new Thread(job, "artifact-md5");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    PnpCodec pnpCodec(PnpProperties properties) {
        return new PnpCodec((int) properties.maxBodySize().toBytes());
    }

    @Bean
    FleetCounts fleetCounts(DeviceStore store) {
        return new FleetCounts(store);
    }

    /** The workflow: its timings and security settings, secrets from a secure random source, the SUDI check. */
    @Bean
    Workflow workflow(PnpProperties properties) {
        SecureRandom random = new SecureRandom();
        return new Workflow(properties.workflow(), properties.security(), () -> {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            return HexFormat.of().formatHex(secret);
        }, identityProof(properties.security()));
    }

    @Bean
    DeviceDialog deviceDialog(DeviceStore store, Workflow workflow, ProfileSource profiles, InstallSlots slots,
                              PnpProperties properties) {
        Registrations registrations = new Registrations(properties.limits().registrationsPerMinute(),
                properties.limits().maxUnclaimed(), () -> store.countIn(Phase.UNCLAIMED));
        return new DeviceDialog(store, workflow, profiles, registrations, slots);
    }

    /** The SUDI trust bundle, read at start: a file that cannot be read stops the server, naming it. */
    private static IdentityProof identityProof(Security security) {
        if (security.sudiTrustBundle() == null) {
            return IdentityProof.NONE;
        }
        try {
            return SudiCheck.of(security.sudiTrustBundle());
        } catch (IOException | IllegalArgumentException e) {
            throw new SettingException("pnp.security.sudi-trust-bundle: " + e.getMessage());
        }
    }

    /** Applied by Spring Boot to the registry before any meter is registered. */
    @Bean
    ExpositionFilter expositionFilter() {
        return new ExpositionFilter();
    }

    @Bean
    PnpMetrics pnpMetrics(MeterRegistry registry, FleetCounts counts, DeviceDialog dialog) {
        return new PnpMetrics(registry, counts, dialog);
    }
}
