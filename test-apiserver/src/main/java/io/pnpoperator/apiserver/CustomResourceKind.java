package io.pnpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** What the server knows of one custom resource kind, from its CRD's served storage version. */
record CustomResourceKind(String group, String version, String plural, String singular, String kind,
                          List<String> shortNames, List<String> categories, boolean namespaced,
                          boolean statusSubresource, SchemaCheck schema, List<JsonNode> printerColumns) {

    static CustomResourceKind of(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode names = spec.path("names");
        JsonNode version = storageVersion(spec.path("versions"));
        List<JsonNode> columns = new ArrayList<>();
        version.path("additionalPrinterColumns").forEach(columns::add);
        return new CustomResourceKind(spec.path("group").asText(), version.path("name").asText(),
                names.path("plural").asText(), names.path("singular").asText(names.path("kind").asText().toLowerCase()),
                names.path("kind").asText(), texts(names.path("shortNames")), texts(names.path("categories")),
                !"Cluster".equals(spec.path("scope").asText()), version.path("subresources").has("status"),
                new SchemaCheck(version.path("schema").path("openAPIV3Schema")), columns);
    }

    String apiVersion() {
        return group + "/" + version;
    }

    /** As the API server names a kind in its messages: {@code PnpDevice.pnp.pnpoperator.io}. */
    String qualifiedKind() {
        return kind + "." + group;
    }

    private static JsonNode storageVersion(JsonNode versions) {
        for (JsonNode v : versions) {
            if (v.path("storage").asBoolean(false)) {
                return v;
            }
        }
        return versions.path(0);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
