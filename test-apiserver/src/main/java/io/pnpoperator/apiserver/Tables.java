package io.pnpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Server-side printing for custom resources, as the API server does it for kubectl: a {@code meta.k8s.io/v1}
 * Table whose first column is the name, then the CRD's {@code additionalPrinterColumns} with their priorities
 * (kubectl shows priority 0 by default, all with {@code -o wide}); {@code date} cells become ages ("5m2s").
 */
final class Tables {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Tables() {
    }

    /** Does this Accept header ask for a Table (kubectl get does)? */
    static boolean wanted(String accept) {
        return accept != null && accept.contains("as=Table");
    }

    /** {@code found} is one object or a list of them. */
    static ObjectNode of(CustomResourceKind kind, JsonNode found, boolean includeObject) {
        ObjectNode table = JSON.createObjectNode().put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.putObject("metadata").put("resourceVersion", found.path("metadata").path("resourceVersion").asText());
        ArrayNode columns = table.putArray("columnDefinitions");
        columns.addObject().put("name", "Name").put("type", "string").put("format", "name")
                .put("description", "Name must be unique within a namespace.").put("priority", 0);
        for (JsonNode c : kind.printerColumns()) {
            columns.addObject().put("name", c.path("name").asText()).put("type", c.path("type").asText())
                    .put("format", c.path("format").asText("")).put("description", c.path("description")
                            .asText("Custom resource definition column (in JSONPath format): " + c.path("jsonPath")
                                    .asText())).put("priority", c.path("priority").asInt(0));
        }
        ArrayNode rows = table.putArray("rows");
        if (found.has("items")) {
            found.get("items").forEach(item -> row(rows, kind, item, includeObject));
        } else {
            row(rows, kind, found, includeObject);
        }
        return table;
    }

    private static void row(ArrayNode rows, CustomResourceKind kind, JsonNode object, boolean includeObject) {
        ObjectNode row = rows.addObject();
        ArrayNode cells = row.putArray("cells");
        cells.add(object.path("metadata").path("name").asText());
        for (JsonNode c : kind.printerColumns()) {
            JsonNode value = SimpleJsonPath.find(object, c.path("jsonPath").asText());
            if (value.isMissingNode() || value.isNull()) {
                cells.addNull();
            } else if ("date".equals(c.path("type").asText())) {
                cells.add(age(value.asText()));
            } else if (value.isValueNode()) {
                cells.add(value);
            } else {
                cells.add(value.toString());
            }
        }
        if (includeObject) {
            row.set("object", object);
        } else {
            ObjectNode partial = row.putObject("object").put("kind", "PartialObjectMetadata")
                    .put("apiVersion", "meta.k8s.io/v1");
            partial.set("metadata", object.path("metadata").deepCopy());
        }
    }

    /** As Kubernetes' HumanDuration writes the time since {@code timestamp}. */
    static String age(String timestamp) {
        Instant then;
        try {
            then = OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return "<invalid>";
        }
        Duration d = Duration.between(then, Instant.now());
        long seconds = d.getSeconds();
        if (seconds < -1) {
            return "<invalid>";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 120) {
            return seconds + "s";
        }
        long minutes = d.toMinutes();
        if (minutes < 10) {
            return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
        }
        if (minutes < 180) {
            return minutes + "m";
        }
        long hours = d.toHours();
        if (hours < 8) {
            return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
        }
        if (hours < 48) {
            return hours + "h";
        }
        if (hours < 24 * 8) {
            return hours % 24 == 0 ? hours / 24 + "d" : hours / 24 + "d" + hours % 24 + "h";
        }
        if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        }
        return hours / 24 / 365 + "y";
    }
}
