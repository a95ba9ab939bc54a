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
     * /var/lib/pnp/artifacts), PNP_ARTIFACTS_VOLUME (the volume's name in messages, default pnp-artifacts).
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
                System.getenv().getOrDefault("PNP_ARTIFACTS_VOLUME", "pnp-artifacts"), Duration.ofMinutes(1));
        Runtime.getRuntime().addShutdownHook(new Thread(operator::close, "pnp-operator-shutdown"));
        operator.start();
    }

    private final Operator operator;

    public PnpOperator(KubernetesClient client, String namespace, Path artifacts, String volumeName, Duration recheck) {
        operator = new Operator(o -> o.withKubernetesClient(client).withUseSSAToPatchPrimaryResource(false)
                .withSSABasedCreateUpdateMatchForDependentResources(false));
        operator.register(new PnpProfileReconciler(client, new ArtifactVolume(artifacts, volumeName), recheck,
                Clock.systemUTC()), c -> c.settingNamespace(namespace));
    }

    public void start() {
        operator.start();
    }

    @Override
    public void close() {
        operator.stop();
    }
}
