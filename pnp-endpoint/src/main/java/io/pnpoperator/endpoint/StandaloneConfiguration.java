package io.pnpoperator.endpoint;

import io.micrometer.core.instrument.MeterRegistry;
import io.pnpoperator.endpoint.artifacts.ArtifactCatalog;
import io.pnpoperator.endpoint.artifacts.DayZeroConfigs;
import io.pnpoperator.endpoint.metrics.PnpMetrics;
import io.pnpoperator.endpoint.profile.StandaloneProfile;
import io.pnpoperator.endpoint.protocol.PnpCodec;
import io.pnpoperator.endpoint.provisioning.DeviceDialog;
import io.pnpoperator.endpoint.provisioning.ProfileSource;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.store.JdbcDeviceStore;
import io.pnpoperator.endpoint.workflow.Workflow;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Wires the standalone server: profile and folders from disk, devices in the SQL store. */
@Configuration(proxyBeanMethods = false)
class StandaloneConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StandaloneConfiguration.class);

    @Bean
    StandaloneProfile standaloneProfile(PnpProperties properties) {
        StandaloneProfile loaded = StandaloneProfile.load(properties.profile(), new StandaloneProfile.Folders(
                properties.configsDir(), properties.imagesDir(), properties.filesDir()));
        log.info("profile '{}' loaded from {}: {}", loaded.profile().name(), properties.profile(), loaded.profile());
        return loaded;
    }

    @Bean
    ArtifactCatalog artifactCatalog(StandaloneProfile profile) {
        return profile.catalog();
    }

    @Bean
    DayZeroConfigs dayZeroConfigs(StandaloneProfile profile) {
        return profile.configs();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PnpCodec pnpCodec(PnpProperties properties) {
        return new PnpCodec((int) properties.maxBodySize().toBytes());
    }

    @Bean
    DeviceStore deviceStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return new JdbcDeviceStore(jdbc, transactions);
    }

    @Bean
    DeviceDialog deviceDialog(DeviceStore store, StandaloneProfile profile, PnpProperties properties) {
        SecureRandom random = new SecureRandom();
        ProfileSource.Assigned everyDevice = new ProfileSource.Assigned(profile.profile());
        return new DeviceDialog(store, new Workflow(properties.workflow(), () -> {
            byte[] token = new byte[16];
            random.nextBytes(token);
            return HexFormat.of().formatHex(token);
        }), serial -> everyDevice);
    }

    @Bean
    PnpMetrics pnpMetrics(MeterRegistry registry, DeviceStore store) {
        return new PnpMetrics(registry, store);
    }
}
