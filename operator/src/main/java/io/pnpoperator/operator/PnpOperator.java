package io.pnpoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.LoggerFactory;

/**
 * The operator: reconciles PnpProfiles and PnpDevices in its namespace (or all namespaces), on the
 * replica that holds the lease. Status is patched without server-side apply, as the endpoint writes it: both
 * programs write a device's status the same way (a patch of the fields they own), one field manager each.
 */
public final class PnpOperator implements AutoCloseable {

    public static void main(String[] args) {
        // The user agent names the field manager of the operator's writes (managedFields).
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(
                io.fabric8.kubernetes.client.Config.autoConfigure(null)).withUserAgent("pnp-operator/"
                + PnpOperator.class.getPackage().getImplementationVersion()).build()).build();
        OperatorSettings settings;
        try {
            settings = OperatorSettings.fromEnvironment(System.getenv(), client.getNamespace());
        } catch (OperatorSettings.InvalidSetting e) {
            LoggerFactory.getLogger(PnpOperator.class).error("pnp-operator: {}", e.getMessage());
            System.exit(2);
            return;
        }
        if (settings.namespace() == null) {
            LoggerFactory.getLogger(PnpOperator.class).error("pnp-operator: no namespace to watch: set PNP_NAMESPACE, "
                    + "or a namespace in your kubeconfig (API server: {})", client.getMasterUrl());
            System.exit(2);
        }
        PnpOperator operator = new PnpOperator(client, settings);
        Runtime.getRuntime().addShutdownHook(new Thread(operator::close, "pnp-operator-shutdown"));
        operator.start();
    }

    /** Extra silence allowed while a device copies an image and reloads into it. */
    static final Duration IMAGE_ALLOWANCE = Duration.ofMinutes(30);
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final Operator operator;
    private final HealthAndMetrics http;
    private final KubernetesClient client;
    private final boolean upgradeCrds;
    private volatile boolean started;

    /**
     * Only the replica holding the lease {@value OperatorSettings#LEASE} reconciles; the others wait to take
     * over, so two replicas are safe.
     */
    public PnpOperator(KubernetesClient client, OperatorSettings settings) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Prometheus wants help text on every metric; java-operator-sdk's meters have none: their name says it.
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getDescription() != null && !id.getDescription().isBlank() ? id : new Meter.Id(
                        id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), id.getName().replace('.', ' '), id.getType());
            }
        });
        http = new HealthAndMetrics(settings.httpPort(), registry, () -> started, settings.artifactsDir());
        this.client = client;
        this.upgradeCrds = settings.upgradeCrds();
        operator = new Operator(o -> o.withKubernetesClient(client).withUseSSAToPatchPrimaryResource(false)
                .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                .withSSABasedCreateUpdateMatchForDependentResources(false)
                .withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
                        .aLeaderElectionConfiguration(OperatorSettings.LEASE).withLeaseNamespace(settings.namespace())
                        .withIdentity(settings.identity()).withExitOnStopLeading(settings.exitOnLostLease()).build())
                // On SIGTERM, reconciles under way may finish before the process exits.
                .withReconciliationTerminationTimeout(SHUTDOWN_GRACE));
        PnpProfileReconciler profiles = new PnpProfileReconciler(new ArtifactChecks(new ArtifactVolume(
                settings.artifactsDir(), settings.artifactsVolume())),
                new ArtifactFetch(settings.fetchImage(), settings.fetchPullSecrets(), settings.nodeName(),
                        settings.artifactsVolume(), settings.podSecurity()),
                settings.recheck(), Clock.systemUTC());
        Gauge.builder("pnp.profiles.ready", profiles, PnpProfileReconciler::readyProfiles)
                .description("PnpProfiles whose artifacts and config are all in place").register(registry);
        Gauge.builder("pnp.profiles", profiles, PnpProfileReconciler::allProfiles)
                .description("PnpProfiles watched").register(registry);
        PnpDeviceReconciler devices = new PnpDeviceReconciler(client, settings.stalledAfter(), IMAGE_ALLOWANCE,
                Clock.systemUTC());
        Gauge.builder("pnp.devices.stalled", devices, PnpDeviceReconciler::stalledDevices)
                .description("PnpDevices whose Stalled condition is True").register(registry);
        // One namespace: the artifacts volume, the endpoint and the operator's rights are all of one release's.
        operator.register(profiles, c -> c.settingNamespace(settings.namespace()));
        operator.register(devices, c -> c.settingNamespace(settings.namespace()));
    }

    public void start() {
        http.start();
        if (upgradeCrds) {
            CrdUpgrade.run(client);
        }
        operator.start();
        started = true;
    }

    /** The port of /healthz, /readyz and /metrics. */
    public int httpPort() {
        return http.port();
    }

    @Override
    public void close() {
        operator.stop();
        http.close();
    }
}
