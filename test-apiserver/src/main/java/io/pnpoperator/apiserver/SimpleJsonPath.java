package io.pnpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "simple JSON path" of a CRD's printer columns, as far as CRDs use it: fields ({@code .status.phase}), indexes
 * ({@code [0]}) and one equality filter ({@code [?(@.type=="Ready")]}); the first match, or none.
 */
final class SimpleJsonPath {

    private static final Pattern STEP = Pattern.compile(
            "\\.([A-Za-z0-9_-]+)|\\[(\\d+)]|\\[\\?\\(@\\.([A-Za-z0-9_-]+)\\s*==\\s*[\"']([^\"']*)[\"']\\)]");

    private SimpleJsonPath() {
    }

    static JsonNode find(JsonNode root, String path) {
        Matcher m = STEP.matcher(path.replaceAll("^\\{|}$", ""));
        JsonNode node = root;
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                throw new IllegalArgumentException("unsupported JSON path " + path);
            }
            at = m.end();
            if (m.group(1) != null) {
                node = node.path(m.group(1));
            } else if (m.group(2) != null) {
                node = node.path(Integer.parseInt(m.group(2)));
            } else {
                node = firstWith(node, m.group(3), m.group(4));
            }
            if (node.isMissingNode()) {
                return node;
            }
        }
        return node;
    }

    private static JsonNode firstWith(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
}
