package io.pnpoperator.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The discovery documents kubectl reads before anything else ({@code /version}, {@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/<group>/<version>}): the built-in resources the project's components use, and
 * every custom resource of a CRD created on the server, with its short names and categories. Legacy discovery
 * only; kubectl falls back to it when the aggregated form is not offered.
 */
final class Discovery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list",
            "patch", "update", "watch");

    /** Built-in resources: group/version → (plural → kind, namespaced). */
    private static final Map<String, List<BuiltIn>> BUILT_IN = new LinkedHashMap<>();

    private record BuiltIn(String plural, String kind, boolean namespaced, List<String> shortNames) {
    }

    static {
        BUILT_IN.put("v1", List.of(new BuiltIn("namespaces", "Namespace", false, List.of("ns")),
                new BuiltIn("configmaps", "ConfigMap", true, List.of("cm")),
                new BuiltIn("secrets", "Secret", true, List.of()),
                new BuiltIn("events", "Event", true, List.of("ev")),
                new BuiltIn("pods", "Pod", true, List.of("po")),
                new BuiltIn("services", "Service", true, List.of("svc")),
                new BuiltIn("serviceaccounts", "ServiceAccount", true, List.of("sa")),
                new BuiltIn("persistentvolumeclaims", "PersistentVolumeClaim", true, List.of("pvc"))));
        BUILT_IN.put("apps/v1", List.of(new BuiltIn("deployments", "Deployment", true, List.of("deploy"))));
        BUILT_IN.put("batch/v1", List.of(new BuiltIn("jobs", "Job", true, List.of())));
        BUILT_IN.put("networking.k8s.io/v1", List.of(new BuiltIn("networkpolicies", "NetworkPolicy", true,
                List.of("netpol"))));
        BUILT_IN.put("policy/v1", List.of(new BuiltIn("poddisruptionbudgets", "PodDisruptionBudget", true,
                List.of("pdb"))));
        BUILT_IN.put("rbac.authorization.k8s.io/v1", List.of(new BuiltIn("roles", "Role", true, List.of()),
                new BuiltIn("rolebindings", "RoleBinding", true, List.of()),
                new BuiltIn("clusterroles", "ClusterRole", false, List.of()),
                new BuiltIn("clusterrolebindings", "ClusterRoleBinding", false, List.of())));
        BUILT_IN.put("coordination.k8s.io/v1", List.of(new BuiltIn("leases", "Lease", true, List.of())));
        BUILT_IN.put("events.k8s.io/v1", List.of(new BuiltIn("events", "Event", true, List.of("ev"))));
        BUILT_IN.put("apiextensions.k8s.io/v1", List.of(new BuiltIn("customresourcedefinitions",
                "CustomResourceDefinition", false, List.of("crd", "crds"))));
    }

    private final CustomResources resources;

    Discovery(CustomResources resources) {
        this.resources = resources;
    }

    /** The kind of a resource ({@code v1}, {@code events} → Event), if the server serves it. */
    Optional<String> kindOf(String groupVersion, String plural) {
        return Stream.concat(BUILT_IN.getOrDefault(groupVersion, List.of()).stream()
                                .filter(b -> b.plural().equals(plural)).map(BuiltIn::kind),
                        resources.all().stream().filter(k -> k.apiVersion().equals(groupVersion)
                                && k.plural().equals(plural)).map(CustomResourceKind::kind))
                .findFirst();
    }

    /** The discovery document at {@code path} (no query), if it is one. */
    Optional<ObjectNode> answer(String path) {
        if (path.startsWith("/openapi/v3")) {
            return openApi(path.substring("/openapi/v3".length()));
        }
        if (path.equals("/version")) {
            return Optional.of(JSON.createObjectNode().put("major", "1").put("minor", "33")
                    .put("gitVersion", "v1.33.0-strict").put("platform", "linux/amd64"));
        }
        if (path.equals("/api")) {
            ObjectNode versions = JSON.createObjectNode().put("kind", "APIVersions");
            versions.putArray("versions").add("v1");
            versions.putArray("serverAddressByClientCIDRs");
            return Optional.of(versions);
        }
        if (path.equals("/apis")) {
            return Optional.of(groups());
        }
        if (path.equals("/api/v1")) {
            return Optional.of(resourceList("v1"));
        }
        String[] parts = path.split("/");
        if (parts.length == 4 && parts[1].equals("apis")) {
            String groupVersion = parts[2] + "/" + parts[3];
            if (BUILT_IN.containsKey(groupVersion)
                    || resources.all().stream().anyMatch(k -> k.apiVersion().equals(groupVersion))) {
                return Optional.of(resourceList(groupVersion));
            }
        }
        return Optional.empty();
    }

    /**
     * Just enough OpenAPI v3 for kubectl to see that the server validates fields itself ({@code fieldValidation}
     * on each PATCH), so it sends {@code fieldValidation=Strict} instead of validating against a schema it would
     * download: the root lists each group-version, whose document has one PATCH path per resource.
     */
    private Optional<ObjectNode> openApi(String rest) {
        Map<String, List<String[]>> kinds = new LinkedHashMap<>();
        BUILT_IN.forEach((gv, list) -> list.forEach(b -> kinds.computeIfAbsent(gv, k -> new ArrayList<>())
                .add(new String[] {b.plural(), b.kind(), Boolean.toString(b.namespaced())})));
        resources.all().forEach(k -> kinds.computeIfAbsent(k.apiVersion(), x -> new ArrayList<>())
                .add(new String[] {k.plural(), k.kind(), Boolean.toString(k.namespaced())}));
        if (rest.isEmpty() || rest.equals("/")) {
            ObjectNode root = JSON.createObjectNode();
            ObjectNode paths = root.putObject("paths");
            kinds.keySet().forEach(gv -> paths.putObject(prefix(gv)).put("serverRelativeURL", "/openapi/v3/"
                    + prefix(gv)));
            return Optional.of(root);
        }
        String gv = rest.startsWith("/api/") ? rest.substring("/api/".length()) : rest.replaceFirst("^/apis/", "");
        if (!kinds.containsKey(gv)) {
            return Optional.empty();
        }
        ObjectNode doc = JSON.createObjectNode().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", "v1.33.0-strict");
        ObjectNode paths = doc.putObject("paths");
        String group = gv.contains("/") ? gv.split("/")[0] : "";
        String version = gv.contains("/") ? gv.split("/")[1] : gv;
        for (String[] k : kinds.get(gv)) {
            String path = "/" + prefix(gv) + (Boolean.parseBoolean(k[2]) ? "/namespaces/{namespace}/" : "/") + k[0]
                    + "/{name}";
            ObjectNode patch = paths.putObject(path).putObject("patch").put("operationId", "patch" + k[1]);
            patch.putObject("x-kubernetes-group-version-kind").put("group", group).put("version", version)
                    .put("kind", k[1]);
            patch.putArray("parameters").addObject().put("name", "fieldValidation").put("in", "query")
                    .putObject("schema").put("type", "string");
        }
        return Optional.of(doc);
    }

    private static String prefix(String groupVersion) {
        return groupVersion.contains("/") ? "apis/" + groupVersion : "api/" + groupVersion;
    }

    private ObjectNode groups() {
        Map<String, String> versions = new LinkedHashMap<>();
        BUILT_IN.keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> versions.put(gv.split("/")[0],
                gv.split("/")[1]));
        resources.all().forEach(k -> versions.put(k.group(), k.version()));
        ObjectNode list = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = list.putArray("groups");
        versions.forEach((group, version) -> {
            ObjectNode g = groups.addObject().put("name", group);
            ObjectNode v = JSON.createObjectNode().put("groupVersion", group + "/" + version).put("version", version);
            g.putArray("versions").add(v);
            g.set("preferredVersion", v.deepCopy());
        });
        return list;
    }

    private ObjectNode resourceList(String groupVersion) {
        ObjectNode list = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode items = list.putArray("resources");
        for (BuiltIn b : BUILT_IN.getOrDefault(groupVersion, List.of())) {
            resource(items, b.plural(), b.plural().replaceAll("s$", ""), b.kind(), b.namespaced(), b.shortNames(),
                    List.of(), ALL_VERBS);
        }
        List<CustomResourceKind> kinds = new ArrayList<>(resources.all());
        for (CustomResourceKind k : kinds) {
            if (k.apiVersion().equals(groupVersion)) {
                resource(items, k.plural(), k.singular(), k.kind(), k.namespaced(), k.shortNames(), k.categories(),
                        ALL_VERBS);
                if (k.statusSubresource()) {
                    resource(items, k.plural() + "/status", "", k.kind(), k.namespaced(), List.of(), List.of(),
                            List.of("get", "patch", "update"));
                }
            }
        }
        return list;
    }

    private static void resource(ArrayNode items, String name, String singular, String kind, boolean namespaced,
                                 List<String> shortNames, List<String> categories, List<String> verbs) {
        ObjectNode r = items.addObject().put("name", name).put("singularName", singular).put("namespaced", namespaced)
                .put("kind", kind);
        verbs.forEach(r.putArray("verbs")::add);
        if (!shortNames.isEmpty()) {
            shortNames.forEach(r.putArray("shortNames")::add);
        }
        if (!categories.isEmpty()) {
            categories.forEach(r.putArray("categories")::add);
        }
    }
}
