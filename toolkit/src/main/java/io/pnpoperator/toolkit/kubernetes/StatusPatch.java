package io.pnpoperator.toolkit.kubernetes;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * A write to a resource's status subresource that the API server applies only if nobody wrote since the
 * resource was read: one JSON Patch that first tests {@code metadata.resourceVersion}, then sets a path of
 * the status. A real API server refuses it when the test fails (the writer then reads again and decides
 * again), which an unconditional update or merge patch would not: that is how the endpoint's replicas and
 * the operator share a PnpDevice's status without overwriting each other.
 */
public final class StatusPatch {

    private StatusPatch() {
    }

    /**
     * Sets {@code path} (e.g. {@code /status}, {@code /status/conditions}) to {@code value} on the status of
     * {@code resource} as read; the resource as the API server has it afterwards.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when refused, a write since the read included
     */
    public static <T extends HasMetadata> T set(KubernetesClient client, T resource, String path, Object value) {
        String patch = "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\""
                + resource.getMetadata().getResourceVersion() + "\"},"
                + "{\"op\":\"add\",\"path\":\"" + path + "\",\"value\":"
                + client.getKubernetesSerialization().asJson(value) + "}]";
        return client.resource(resource).subresource("status").patch(PatchContext.of(PatchType.JSON), patch);
    }
}
