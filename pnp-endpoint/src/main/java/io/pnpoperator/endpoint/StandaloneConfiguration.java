package io.pnpoperator.endpoint;

import io.pnpoperator.endpoint.artifacts.ArtifactCatalog;
import io.pnpoperator.endpoint.artifacts.DayZeroConfigs;
import io.pnpoperator.endpoint.profile.ClaimedSerials;
import io.pnpoperator.endpoint.profile.StandaloneProfile;
import io.pnpoperator.endpoint.profile.StandaloneProfiles;
import io.pnpoperator.endpoint.provisioning.InstallSlots;
import io.pnpoperator.endpoint.provisioning.ProfileSource;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.store.H2Import;
import io.pnpoperator.endpoint.store.JdbcDeviceStore;
import io.pnpoperator.endpoint.store.JdbcInstallSlots;
import io.pnpoperator.endpoint.store.PoolReset;
import io.pnpoperator.endpoint.store.SchemaMigration;
import io.pnpoperator.endpoint.store.SqliteFile;
import io.pnpoperator.endpoint.store.WalSync;
import io.pnpoperator.endpoint.store.WriteCheck;
import io.pnpoperator.endpoint.store.WriteTransactions;
import io.pnpoperator.endpoint.web.AdminGate;
import io.pnpoperator.endpoint.web.TokenGate;
import io.pnpoperator.endpoint.workflow.Phase;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The standalone server: profile and folders from disk, devices in the SQL store. */
@Configuration(proxyBeanMethods = false)
@Profile("standalone")
class StandaloneConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StandaloneConfiguration.class);

    @Bean
    StandaloneProfiles standaloneProfiles(PnpProperties properties, ExecutorService artifactMeasuring) {
        StandaloneProfiles loaded = new StandaloneProfiles(StandaloneProfile.loadAll(properties.profile(),
                new StandaloneProfile.Folders(properties.configsDir(), properties.imagesDir(), properties.filesDir()),
                artifactMeasuring));
        loaded.all().forEach(p -> log.info("profile '{}' loaded from {}: {}", p.name(), properties.profile(), p.profile()));
        return loaded;
    }

    @Bean
    ArtifactCatalog artifactCatalog(StandaloneProfiles profiles) {
        return profiles.catalog();
    }

    /** A device's day-0 config comes from the profile it was provisioned with. */
    @Bean
    DayZeroConfigs dayZeroConfigs(StandaloneProfiles profiles, DeviceStore store) {
        return profiles.configs(serial -> store.find(serial).map(s -> s.device().identity().profile()));
    }

    /**
     * The database's folder is made (SQLite makes its file, not the folders above it); a migration cut off by a database
     * outage is completed at the next start instead of blocking it; an earlier release's embedded store is imported.
     */
    @Bean
    FlywayMigrationStrategy flywayMigrationStrategy(DataSourceProperties datasource) {
        return flyway -> {
            try {
                SqliteFile.makeFolderOf(datasource.getUrl());
            } catch (IOException e) {
                throw new SettingException("the database's folder (pnp.data-dir, or spring.datasource.url's) cannot "
                        + "be made: " + e);
            }
            SchemaMigration.migrate(flyway);
            H2Import.fromBeside(flyway.getConfiguration().getDataSource(), datasource.getUsername(),
                    datasource.getPassword());
        };
    }

    /** The store's transactions: on SQLite, one at a time, waiting in the JVM rather than in SQLite (WriteTransactions). */
    @Bean
    TransactionTemplate transactionTemplate(PlatformTransactionManager transactions, DataSource dataSource) {
        return WriteTransactions.of(transactions, dataSource);
    }

    @Bean
    DeviceStore deviceStore(JdbcTemplate jdbc, TransactionTemplate transactions, DataSource dataSource) {
        return new JdbcDeviceStore(jdbc, transactions, PoolReset.of(dataSource), WalSync.of(dataSource));
    }

    /** Image install slots of the profiles' rollouts, in the database (shared by servers on one MariaDB). */
    @Bean
    InstallSlots installSlots(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return new JdbcInstallSlots(jdbc, transactions);
    }

    /**
     * {@code /actuator/health/store}: DOWN while the database takes no writes (tried every second in the
     * background); part of readiness.
     */
    @Bean(destroyMethod = "close")
    WriteCheck store(JdbcTemplate jdbc, Clock clock, DataSource dataSource) {
        return new WriteCheck(jdbc, clock, PoolReset.of(dataSource), Duration.ofSeconds(1));
    }

    /** The admin API: open on loopback, behind {@code pnp.admin.token} otherwise. */
    @Bean
    AdminGate adminGate(PnpProperties properties) {
        return TokenGate.of(properties.adminAddress(), Optional.ofNullable(properties.admin().token()));
    }

    /**
     * Every device gets the profile, as its files are now; with {@code pnp.unknown-devices=reject}, only the serials
     * listed in {@code pnp.claimed-serials}, and any other waits Unclaimed.
     */
    @Bean
    ProfileSource profileSource(StandaloneProfiles profiles, PnpProperties properties) {
        if (properties.unknownDevices() == PnpProperties.UnknownDevices.REGISTER) {
            return profiles::assignment;
        }
        ClaimedSerials claimed = new ClaimedSerials(properties.claimedSerials());
        return (serial, pid) -> claimed.contains(serial) ? profiles.assignment(serial, pid)
                : new ProfileSource.Held("not claimed: add " + serial + " to " + claimed.file() + " to provision it",
                        Phase.UNCLAIMED);
    }
}
