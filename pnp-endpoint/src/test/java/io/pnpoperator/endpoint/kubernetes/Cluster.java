package io.pnpoperator.endpoint.kubernetes;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.pnpoperator.crds.device.PnpDevice;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Test helpers for the mock API server: the project's own CRDs, and a synced PnpDevice informer. */
final class Cluster {

    static final String NAMESPACE = "pnp";

    private Cluster() {
    }

    /** A client of the same server that fails at once instead of retrying, as the endpoint's does. */
    static KubernetesClient failFast(KubernetesClient client) {
        return new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration()).withRequestRetryBackoffLimit(0)
                        .withRequestTimeout(300).build()).build();
    }

    static SharedIndexInformer<PnpDevice> deviceInformer(KubernetesClient client) {
        SharedIndexInformer<PnpDevice> informer = client.resources(PnpDevice.class).inNamespace(NAMESPACE).inform();
        try {
            informer.start().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("informer did not sync", e);
        }
        return informer;
    }
}
