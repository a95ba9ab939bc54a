package io.pnpoperator.endpoint;

import com.zaxxer.hikari.HikariDataSource;
import io.pnpoperator.endpoint.artifacts.ArtifactCatalog;
import io.pnpoperator.endpoint.artifacts.DayZeroConfigs;
import io.pnpoperator.endpoint.profile.ClaimedSerials;
import io.pnpoperator.endpoint.profile.StandaloneProfile;
import io.pnpoperator.endpoint.profile.StandaloneProfiles;
import io.pnpoperator.endpoint.provisioning.InstallSlots;
import io.pnpoperator.endpoint.provisioning.ProfileSource;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.store.H2Compaction;
import io.pnpoperator.endpoint.store.H2Sync;
import io.pnpoperator.endpoint.store.JdbcDeviceStore;
import io.pnpoperator.endpoint.store.JdbcInstallSlots;
import io.pnpoperator.endpoint.store.SchemaMigration;
import io.pnpoperator.endpoint.store.WriteCheck;
import io.pnpoperator.endpoint.web.AdminGate;
import io.pnpoperator.endpoint.web.TokenGate;
import io.pnpoperator.endpoint.workflow.Phase;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
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

    /** A migration cut off by a database outage is completed at the next start instead of blocking it. */
    @Bean
    FlywayMigrationStrategy flywayMigrationStrategy() {
        return SchemaMigration::migrate;
    }

    @Bean
    DeviceStore deviceStore(JdbcTemplate jdbc, TransactionTemplate transactions, DataSource dataSource) {
        return new JdbcDeviceStore(jdbc, transactions, () -> replaceConnections(dataSource), H2Sync.of(dataSource));
    }

    /** Image install slots of the profiles' rollouts, in the database (shared by servers on one MariaDB). */
    @Bean
    InstallSlots installSlots(JdbcTemplate jdbc, TransactionTemplate transactions) {
        return new JdbcInstallSlots(jdbc, transactions);
    }

    /** The embedded database's file, kept proportional to its data (nothing to do for MariaDB). */
    @Bean
    H2Compaction h2Compaction(DataSource dataSource) {
        return new H2Compaction(dataSource, Duration.ofSeconds(5));
    }

    /**
     * {@code /actuator/health/store}: DOWN while the database takes no writes (tried every second in the
     * background); part of readiness.
     */
    @Bean(destroyMethod = "close")
    WriteCheck store(JdbcTemplate jdbc, Clock clock, DataSource dataSource) {
        return new WriteCheck(jdbc, clock, () -> replaceConnections(dataSource), Duration.ofSeconds(1));
    }

    /**
     * After a failed write the pool's connections may be broken for good (H2 closes a database that hit a full
     * disk, and says so with a code Hikari does not read as a dead connection): they are replaced as they come back.
     */
    private static void replaceConnections(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
        }
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
