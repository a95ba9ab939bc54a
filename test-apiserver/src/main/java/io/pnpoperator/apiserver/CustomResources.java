package io.pnpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The custom resource kinds of the CRDs created on the server, by CRD name ({@code <plural>.<group>}). */
final class CustomResources {

    private final Map<String, CustomResourceKind> byCrdName = new ConcurrentHashMap<>();

    void defined(JsonNode crd) {
        byCrdName.put(crd.path("metadata").path("name").asText(), CustomResourceKind.of(crd));
    }

    void removed(String crdName) {
        byCrdName.remove(crdName);
    }

    Optional<CustomResourceKind> find(String group, String version, String plural) {
        return Optional.ofNullable(byCrdName.get(plural + "." + group)).filter(k -> k.version().equals(version));
    }

    List<CustomResourceKind> all() {
        return List.copyOf(byCrdName.values());
    }

    List<String> kinds() {
        return byCrdName.values().stream().map(CustomResourceKind::kind).sorted().toList();
    }
}
