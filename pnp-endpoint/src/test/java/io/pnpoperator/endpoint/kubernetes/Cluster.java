package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.profile.PnpProfile;
import java.util.concurrent.TimeUnit;

/** Test helpers for the control plane: a client configured as the endpoint's, and a synced PnpDevice informer. */
final class Cluster {

    private Cluster() {
    }

    /** A client of the same server that retries as the endpoint's does by default (pnp.kubernetes.*). */
    static KubernetesClient asTheEndpoint(KubernetesClient client) {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(5)
                        .withRequestRetryBackoffInterval(250).withRequestTimeout(10_000).build()).build();
    }

    static SharedIndexInformer<PnpDevice> deviceInformer(KubernetesClient client) {
        return synced(client.resources(PnpDevice.class).inform());
    }

    /** Routers nobody named a profile for get {@code defaultProfile}, or the one a profile's rules give them. */
    static ProfileRules profileRules(KubernetesClient client, String defaultProfile) {
        return new ProfileRules(synced(client.resources(PnpProfile.class).inform()), client.getNamespace(),
                java.util.Optional.of(defaultProfile));
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> SharedIndexInformer<T> synced(
            SharedIndexInformer<T> informer) {
        try {
            informer.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("informer did not sync", e);
        }
        return informer;
    }
}
