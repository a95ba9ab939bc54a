package io.pnpoperator.toolkit.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Iterator;
import java.util.Map;

/**
 * A write to a resource's status subresource that the API server applies only if nobody wrote since the
 * resource was read: one JSON Patch that first tests {@code metadata.resourceVersion}, then changes the status.
 * A real API server refuses it when the test fails (the writer then reads again and decides again), which an
 * unconditional update or merge patch would not: that is how the endpoint's replicas and the operator share a
 * PnpDevice's status without overwriting each other.
 */
public final class StatusPatch {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StatusPatch() {
    }

    /**
     * Sets {@code path} (e.g. {@code /status}, {@code /status/conditions}) to {@code value} on the status of
     * {@code resource} as read; the resource as the API server has it afterwards.
     *
     * @throws io.fabric8.kubernetes.client.KubernetesClientException when refused, a write since the read included
     */
    public static <T extends HasMetadata> T set(KubernetesClient client, T resource, String path, Object value) {
        return apply(client, resource, guarded(resource).add(op("add", path, tree(client, value))));
    }

    /**
     * Brings the status of {@code resource} as read ({@code before}) to {@code after}, sending only what differs:
     * a field that changed is set, one that is gone removed, entries appended to a list are appended (a device's
     * history grows by one entry a transition; the rest of it is not sent again). The whole status is set when
     * the resource has none yet.
     */
    public static <T extends HasMetadata> T update(KubernetesClient client, T resource, Object before, Object after) {
        JsonNode old = before == null ? null : tree(client, before);
        JsonNode fresh = tree(client, after);
        ArrayNode patch = guarded(resource);
        if (old == null || !old.isObject()) {
            patch.add(op("add", "/status", fresh));
        } else {
            changes(old, fresh, "/status", patch);
        }
        return apply(client, resource, patch);
    }

    /** The operations that turn {@code old} into {@code fresh}, two objects at {@code path}. */
    static void changes(JsonNode old, JsonNode fresh, String path, ArrayNode patch) {
        for (Iterator<Map.Entry<String, JsonNode>> it = fresh.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String at = path + "/" + escaped(field.getKey());
            JsonNode was = old.get(field.getKey());
            if (field.getValue().equals(was)) {
                continue;
            }
            if (was != null && was.isObject() && field.getValue().isObject()) {
                changes(was, field.getValue(), at, patch);
            } else if (was != null && was.isArray() && field.getValue().isArray() && appendedTo(was, field.getValue())) {
                for (int i = was.size(); i < field.getValue().size(); i++) {
                    patch.add(op("add", at + "/-", field.getValue().get(i)));
                }
            } else {
                // "add" sets an object's member whether or not it is there (RFC 6902, 4.1)
                patch.add(op("add", at, field.getValue()));
            }
        }
        for (Iterator<String> names = old.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fresh.has(name)) {
                patch.add(NODES.objectNode().put("op", "remove").put("path", path + "/" + escaped(name)));
            }
        }
    }

    /** Whether {@code longer} is {@code shorter} with entries appended. */
    private static boolean appendedTo(JsonNode shorter, JsonNode longer) {
        if (longer.size() <= shorter.size()) {
            return false;
        }
        for (int i = 0; i < shorter.size(); i++) {
            if (!shorter.get(i).equals(longer.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** A value as the client would send it. */
    private static JsonNode tree(KubernetesClient client, Object value) {
        return client.getKubernetesSerialization().convertValue(value, JsonNode.class);
    }

    private static ArrayNode guarded(HasMetadata resource) {
        ArrayNode patch = NODES.arrayNode();
        patch.add(op("test", "/metadata/resourceVersion", NODES.textNode(resource.getMetadata().getResourceVersion())));
        return patch;
    }

    private static ObjectNode op(String name, String path, JsonNode value) {
        ObjectNode op = NODES.objectNode().put("op", name).put("path", path);
        op.set("value", value);
        return op;
    }

    /** A member name as a JSON Pointer token (RFC 6901): {@code ~} and {@code /} escaped. */
    private static String escaped(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    private static <T extends HasMetadata> T apply(KubernetesClient client, T resource, ArrayNode patch) {
        return client.resource(resource).subresource("status").patch(PatchContext.of(PatchType.JSON), patch.toString());
    }
}
