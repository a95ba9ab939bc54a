package io.pnpoperator.apiserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A request path of the resource API, taken apart: {@code /apis/<group>/<version>[/namespaces/<ns>]/<plural>
 * [/<name>[/<subresource>]]?<query>}, or {@code /api/v1/...} for the core group.
 */
record ApiPath(String group, String version, String namespace, String plural, String name, String subresource,
               Map<String, String> query) {

    static Optional<ApiPath> parse(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        Map<String, String> query = q < 0 ? Map.of() : query(pathAndQuery.substring(q + 1));
        String[] parts = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        int rest;
        String group;
        String version;
        if (parts.length >= 3 && parts[0].equals("api")) {
            group = "";
            version = parts[1];
            rest = 2;
        } else if (parts.length >= 4 && parts[0].equals("apis")) {
            group = parts[1];
            version = parts[2];
            rest = 3;
        } else {
            return Optional.empty();
        }
        String namespace = null;
        if (parts[rest].equals("namespaces") && parts.length >= rest + 3) {
            namespace = parts[rest + 1];
            rest += 2;
        }
        return Optional.of(new ApiPath(group, version, namespace, parts[rest],
                parts.length > rest + 1 ? parts[rest + 1] : null, parts.length > rest + 2 ? parts[rest + 2] : null,
                query));
    }

    boolean isStatus() {
        return "status".equals(subresource);
    }

    /** The same resource without subresource or query: where its object is read. */
    String objectPath() {
        return collectionPath() + (name == null ? "" : "/" + name);
    }

    String collectionPath() {
        return (group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version)
                + (namespace == null ? "" : "/namespaces/" + namespace) + "/" + plural;
    }

    private static Map<String, String> query(String text) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
