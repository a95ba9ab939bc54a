package io.pnpoperator.testcluster;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A way to make the real API server refuse a program's creates, as a namespace that has used up its quota does
 * (403 "exceeded quota", from the ResourceQuota admission plugin, the usage kept by the controller manager):
 * {@code count/configmaps} limited to what the namespace holds now; {@link #close()} lifts it.
 */
public final class Quota implements AutoCloseable {

    private final KubernetesClient client;
    private final String name;

    private Quota(KubernetesClient client, String name) {
        this.client = client;
        this.name = name;
    }

    /** No room for one more ConfigMap in the client's namespace. */
    public static Quota noRoomForConfigMaps(KubernetesClient client) {
        // The controller manager publishes the cluster's CA into every namespace: counted once it is there.
        client.configMaps().withName("kube-root-ca.crt").waitUntilCondition(c -> c != null, 60, TimeUnit.SECONDS);
        String key = "count/configmaps";
        String held = Integer.toString(client.configMaps().list().getItems().size());
        String name = "no-room-for-configmaps";
        client.resource(new ResourceQuotaBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .addToHard(key, new Quantity(held)).endSpec().build()).create();
        // Enforced once the controller manager has counted what is there.
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            ResourceQuota quota = client.resourceQuotas().withName(name).get();
            if (quota.getStatus() != null && quota.getStatus().getUsed() != null
                    && new Quantity(held).equals(quota.getStatus().getUsed().get(key))) {
                return new Quota(client, name);
            }
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("quota " + name + " never counted: " + quota.getStatus());
            }
            ControlPlane.sleep(100);
        }
    }

    /** Lifts the quota. */
    @Override
    public void close() {
        client.resourceQuotas().withName(name).delete();
    }
}
