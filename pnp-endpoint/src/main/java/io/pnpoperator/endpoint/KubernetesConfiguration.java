package io.pnpoperator.endpoint;

import com.zaxxer.hikari.HikariDataSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.endpoint.PnpProperties.UnknownDevices;
import io.pnpoperator.endpoint.artifacts.ArtifactCatalog;
import io.pnpoperator.endpoint.kubernetes.ArtifactMirror;
import io.pnpoperator.endpoint.kubernetes.ClusterProfiles;
import io.pnpoperator.endpoint.kubernetes.ConfigMapConfigs;
import io.pnpoperator.endpoint.kubernetes.DeviceEvents;
import io.pnpoperator.endpoint.kubernetes.KubernetesDeviceStore;
import io.pnpoperator.endpoint.kubernetes.LeaseInstallSlots;
import io.pnpoperator.endpoint.kubernetes.ProfileDryRun;
import io.pnpoperator.endpoint.kubernetes.ProfileRules;
import io.pnpoperator.endpoint.kubernetes.ReviewedAccess;
import io.pnpoperator.endpoint.kubernetes.SecretCredentials;
import io.pnpoperator.endpoint.protocol.PnpCodec;
import io.pnpoperator.endpoint.provisioning.DeviceDialog;
import io.pnpoperator.endpoint.provisioning.InstallSlots;
import io.pnpoperator.endpoint.store.HistoryMirror;
import io.pnpoperator.endpoint.store.JdbcDeviceStore;
import io.pnpoperator.endpoint.store.SchemaMigration;
import io.pnpoperator.endpoint.web.AdminGate;
import io.pnpoperator.endpoint.workflow.Workflow;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Kubernetes mode: devices are PnpDevice resources, profiles PnpProfile resources, day-0 configs come from
 * ConfigMaps and artifacts from the artifacts volume. Everything is read through informers that are in
 * sync before the server takes its first device.
 */
@Configuration(proxyBeanMethods = false)
@Profile("kubernetes")
class KubernetesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KubernetesConfiguration.class);
    private static final long SYNC_SECONDS = 60;
    private static final long LIST_PAGE = 500;

    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient(PnpProperties properties) {
        // A call refused for a passing reason (429 from API Priority and Fairness, 5xx, an API server restarting) is
        // tried again with a doubling backoff, within the time a router waits for its answer; a conflict (409) is
        // not retried but decided again. A repeated write is safe: status patches test the resourceVersion they
        // were decided from, and a create that did happen the first time is refused as existing.
        // The user agent names the field manager of every write (managedFields), which tells people's edits apart.
        ConfigBuilder config = new ConfigBuilder(Config.autoConfigure(null))
                .withRequestRetryBackoffLimit(properties.kubernetes().retries())
                .withRequestRetryBackoffInterval((int) properties.kubernetes().retryBackoff().toMillis())
                .withRequestTimeout((int) properties.kubernetes().requestTimeout().toMillis())
                .withUserAgent("pnp-endpoint/" + PnpProperties.class.getPackage().getImplementationVersion());
        Optional.ofNullable(properties.kubernetes().apiUrl()).ifPresent(url -> config.withMasterUrl(url.toString()));
        Optional.ofNullable(properties.kubernetes().namespace()).ifPresent(config::withNamespace);
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config.build()).build();
        log.info("kubernetes mode: API server {}, namespace {}", client.getMasterUrl(), client.getNamespace());
        return client;
    }

    /**
     * Every PnpDevice, read in pages: a fleet's full list (10,000 devices with their histories) in one answer would
     * weigh on the API server and on this heap at each start and after each expired watch.
     */
    @Bean(destroyMethod = "close")
    SharedIndexInformer<PnpDevice> deviceInformer(KubernetesClient client) {
        return synced(client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withLimit(LIST_PAGE)
                .inform(), "PnpDevice");
    }

    @Bean(destroyMethod = "close")
    SharedIndexInformer<PnpProfile> profileInformer(KubernetesClient client) {
        return synced(client.resources(PnpProfile.class).inNamespace(client.getNamespace()).inform(), "PnpProfile");
    }

    @Bean(destroyMethod = "close")
    SharedIndexInformer<ConfigMap> configMapInformer(KubernetesClient client) {
        return synced(client.configMaps().inNamespace(client.getNamespace()).inform(), "ConfigMap");
    }

    @Bean(destroyMethod = "close")
    DeviceEvents deviceEvents(KubernetesClient client) {
        return new DeviceEvents(client);
    }

    @Bean
    KubernetesDeviceStore deviceStore(KubernetesClient client, SharedIndexInformer<PnpDevice> devices,
                                      ProfileRules rules, Clock clock, DeviceEvents events) {
        return new KubernetesDeviceStore(client, client.getNamespace(), devices, rules, clock, events);
    }

    /** The re-provisioning annotation of a PnpDevice is acted on by the device dialog, as the admin API's request. */
    @Bean
    SmartInitializingSingleton reprovisionByAnnotation(KubernetesDeviceStore devices, DeviceDialog dialog, Clock clock) {
        return () -> devices.onReprovision((serial, from, who, wanted) -> dialog.reprovision(serial, from, who,
                clock.instant(), wanted));
    }

    /** Image install slots of the profiles' rollouts: one Lease, shared by the replicas. */
    @Bean
    InstallSlots installSlots(KubernetesClient client, KubernetesDeviceStore devices, PnpProperties properties) {
        return new LeaseInstallSlots(client, client.getNamespace(), properties.kubernetes().installSlotsLease(), devices);
    }

    /** In register mode, which profile a router nobody named one for gets; in reject mode, none. */
    @Bean
    ProfileRules profileRules(SharedIndexInformer<PnpProfile> profiles, KubernetesClient client,
                              PnpProperties properties) {
        return new ProfileRules(profiles, client.getNamespace(), properties.unknownDevices() == UnknownDevices.REGISTER
                ? Optional.of(properties.defaultProfile()) : Optional.empty());
    }

    /**
     * With {@code spring.datasource.url} set, every transition also goes to that database (MariaDB), in the
     * background: the device dialog never waits on it. Its tables are created by the mirror's worker, so a
     * database that is down at start delays only the copy.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("spring.datasource.url")
    HikariDataSource historyDataSource(Environment env) {
        HikariDataSource dataSource = DataSourceBuilder.create().type(HikariDataSource.class)
                .url(env.getProperty("spring.datasource.url")).username(env.getProperty("spring.datasource.username"))
                .password(env.getProperty("spring.datasource.password")).build();
        dataSource.setConnectionTimeout(5_000);
        return dataSource;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("spring.datasource.url")
    HistoryMirror historyMirror(HikariDataSource dataSource, KubernetesDeviceStore devices, PnpProperties properties,
                                MeterRegistry registry) {
        JdbcDeviceStore database = new JdbcDeviceStore(new JdbcTemplate(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
        HistoryMirror mirror = new HistoryMirror(database, () -> SchemaMigration.migrate(dataSource),
                devices::changes, properties.history().queue(), properties.history().maxBackoff());
        devices.onWrite(mirror::record);
        Gauge.builder("pnp.history.mirror.backlog", mirror, HistoryMirror::backlog)
                .description("Changes waiting to be copied to the database").register(registry);
        return mirror;
    }

    @Bean
    ClusterProfiles profileSource(KubernetesDeviceStore devices, SharedIndexInformer<PnpProfile> profiles,
                                  ProfileRules rules, KubernetesClient client, PnpProperties properties,
                                  Clock clock, ExecutorService artifactMeasuring) {
        return new ClusterProfiles(devices, profiles, client.getNamespace(), rules,
                new SecretCredentials(client, client.getNamespace(), clock),
                properties.artifactsDir(), artifactMeasuring);
    }

    /**
     * With {@code pnp.artifacts-source} (a volume one node can mount, kept by the operator): this endpoint's own
     * copy of the artifacts, filled and verified in the background.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("pnp.artifacts-source")
    ArtifactMirror artifactMirror(ClusterProfiles profiles, PnpProperties properties) {
        URI source = properties.artifactsSource();
        ArtifactMirror mirror = new ArtifactMirror(profiles::wanted, source.getPath().endsWith("/") ? source
                : URI.create(source + "/"), properties.artifactsDir());
        mirror.start(Duration.ofSeconds(10));
        log.info("artifacts: this endpoint's own copy in {}, filled from {}", properties.artifactsDir(), source);
        return mirror;
    }

    /** The admin API: Kubernetes tokens, and RBAC on PnpDevices, decide. */
    @Bean
    AdminGate adminGate(KubernetesClient client, Clock clock) {
        return new ReviewedAccess(client, client.getNamespace(), clock);
    }

    @Bean
    ArtifactCatalog artifactCatalog(ClusterProfiles profiles) {
        return profiles.catalog();
    }

    @Bean
    ConfigMapConfigs dayZeroConfigs(ClusterProfiles profiles, KubernetesDeviceStore devices,
                                    SharedIndexInformer<ConfigMap> configMaps, KubernetesClient client) {
        return new ConfigMapConfigs(profiles, devices, configMaps, client.getNamespace());
    }

    /** A PnpProfile annotated pnp.pnpoperator.io/dry-run is tried on simulated routers inside this endpoint. */
    @Bean(destroyMethod = "close")
    ProfileDryRun profileDryRun(ClusterProfiles profiles, ConfigMapConfigs configs, PnpCodec codec, Workflow workflow,
                                DeviceEvents events, Clock clock, SharedIndexInformer<PnpProfile> informer) {
        ProfileDryRun dryRun = new ProfileDryRun(profiles, configs, codec, workflow, events, clock);
        dryRun.watch(informer);
        return dryRun;
    }

    private static <T> SharedIndexInformer<T> synced(SharedIndexInformer<T> informer, String kind) {
        try {
            informer.start().toCompletableFuture().get(SYNC_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not list and watch " + kind + " resources: " + e.getMessage()
                    + " (are the CRDs installed, and may this service account read them?)", e);
        }
        return informer;
    }
}
