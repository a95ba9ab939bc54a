package io.pnpoperator.endpoint;

import io.pnpoperator.endpoint.artifacts.ArtifactCatalog;
import io.pnpoperator.endpoint.artifacts.DayZeroConfigs;
import io.pnpoperator.endpoint.profile.StandaloneProfile;
import io.pnpoperator.endpoint.provisioning.ProfileSource;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.store.JdbcDeviceStore;
import io.pnpoperator.endpoint.store.SchemaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import java.util.concurrent.ExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The standalone server: profile and folders from disk, devices in the SQL store. */
@Configuration(proxyBeanMethods = false)
@Profile("standalone")
class StandaloneConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StandaloneConfiguration.class);

    @Bean
    StandaloneProfile standaloneProfile(PnpProperties properties, ExecutorService artifactMeasuring) {
        StandaloneProfile loaded = StandaloneProfile.load(properties.profile(), new StandaloneProfile.Folders(
                properties.configsDir(), properties.imagesDir(), properties.filesDir()), artifactMeasuring);
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

    /** A migration cut off by a database outage is completed at the next start instead of blocking it. */
    @Bean
    FlywayMigrationStrategy flywayMigrationStrategy() {
        return SchemaMigration::migrate;
    }

    @Bean
    DeviceStore deviceStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return new JdbcDeviceStore(jdbc, transactions);
    }

    @Bean
    /** Every device gets the profile, as its files are now. */
    ProfileSource profileSource(StandaloneProfile profile) {
        return serial -> profile.assignment();
    }
}
