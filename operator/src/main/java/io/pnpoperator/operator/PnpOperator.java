package io.pnpoperator.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The operator: reconciles PnpProfiles in its namespace. Status is patched without server-side apply, as
 * the endpoint writes it, so that the tests against the mock API server run the production code path.
 */
public final class PnpOperator implements AutoCloseable {

    /**
     * Environment: PNP_NAMESPACE (default: the pod's, or kubeconfig's), PNP_ARTIFACTS_DIR (default
     * /var/lib/pnp/artifacts), PNP_ARTIFACTS_VOLUME (the volume's name in messages, default pnp-artifacts),
     * PNP_STALLED_AFTER (ISO-8601 duration, default PT15M).
     */
    public static void main(String[] args) {
        KubernetesClient client = new KubernetesClientBuilder().build();
        String namespace = System.getenv().getOrDefault("PNP_NAMESPACE", client.getNamespace());
        if (namespace == null) {
            System.err.println("pnp-operator: no namespace to watch: set PNP_NAMESPACE, or a namespace in your kubeconfig "
                    + "(API server: " + client.getMasterUrl() + ")");
            System.exit(2);
        }
        PnpOperator operator = new PnpOperator(client, namespace,
                Path.of(System.getenv().getOrDefault("PNP_ARTIFACTS_DIR", "/var/lib/pnp/artifacts")),
                System.getenv().getOrDefault("PNP_ARTIFACTS_VOLUME", "pnp-artifacts"), Duration.ofMinutes(1),
                Duration.parse(System.getenv().getOrDefault("PNP_STALLED_AFTER", "PT15M")));
        Runtime.getRuntime().addShutdownHook(new Thread(operator::close, "pnp-operator-shutdown"));
        operator.start();
    }

    private final Operator operator;

    /**
     * @param recheck      how soon a profile that is not ready is checked again
     * @param stalledAfter silence after which a provisioning device is Stalled (image steps get 30 min more)
     */
    public PnpOperator(KubernetesClient client, String namespace, Path artifacts, String volumeName, Duration recheck,
                       Duration stalledAfter) {
        operator = new Operator(o -> o.withKubernetesClient(client).withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false));
        operator.register(new PnpProfileReconciler(client, new ArtifactVolume(artifacts, volumeName), recheck,
                Clock.systemUTC()), c -> c.settingNamespace(namespace));
        operator.register(new PnpDeviceReconciler(client, stalledAfter, IMAGE_ALLOWANCE, Clock.systemUTC()),
                c -> c.settingNamespace(namespace));
    }

    /** Extra silence allowed while a device copies an image and reloads into it. */
    static final Duration IMAGE_ALLOWANCE = Duration.ofMinutes(30);

    public void start() {
        operator.start();
    }

    @Override
    public void close() {
        operator.stop();
    }
}
