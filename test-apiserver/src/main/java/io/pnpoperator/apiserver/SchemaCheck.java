package io.pnpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A custom resource checked against its CRD's structural {@code openAPIV3Schema} the way the API server does it:
 * unknown fields pruned (kept under {@code x-kubernetes-preserve-unknown-fields}), then types, enums, patterns,
 * formats, lengths, item counts, required fields, unique keys of map lists, and the
 * {@code x-kubernetes-validations} rules in CEL. The messages are the API server's own wording.
 */
final class SchemaCheck {

    /** At the root the API server keeps these whatever the schema says: it checks metadata itself. */
    private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

    private final JsonNode schema;
    private final Map<JsonNode, List<CelRule>> rules = new IdentityHashMap<>();

    SchemaCheck(JsonNode schema) {
        this.schema = schema;
        compileRules(schema);
    }

    /** What a check found: the fields pruned as unknown, and the errors of what is left (none: valid). */
    record Checked(List<String> pruned, List<FieldError> errors) {
    }

    /** Prunes {@code object} in place, then checks what is left. */
    Checked check(ObjectNode object, JsonNode old) {
        Checked checked = new Checked(new ArrayList<>(), new ArrayList<>());
        walk(object, schema, "", old, checked, true);
        return checked;
    }

    private void compileRules(JsonNode node) {
        if (node.has("x-kubernetes-validations")) {
            List<CelRule> compiled = new ArrayList<>();
            node.get("x-kubernetes-validations").forEach(r -> compiled.add(new CelRule(r)));
            rules.put(node, compiled);
        }
        node.path("properties").forEach(this::compileRules);
        if (node.path("items").isObject()) {
            compileRules(node.get("items"));
        }
        if (node.path("additionalProperties").isObject()) {
            compileRules(node.get("additionalProperties"));
        }
    }

    private void walk(JsonNode value, JsonNode schema, String path, JsonNode old, Checked found, boolean root) {
        List<FieldError> errors = found.errors();
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                errors.add(new FieldError(FieldError.Reason.INVALID, path, "Invalid value: \"null\": " + path
                        + " in body must be of type " + schema.path("type").asText("object") + ": \"null\""));
            }
            return;
        }
        if (!typeMatches(value, schema)) {
            errors.add(new FieldError(FieldError.Reason.INVALID, path, "Invalid value: \"" + jsonType(value) + "\": "
                    + path + " in body must be of type " + schema.path("type").asText() + ": \"" + jsonType(value)
                    + "\""));
            return;
        }
        if (value.isObject()) {
            walkObject((ObjectNode) value, schema, path, old, found, root);
        } else if (value.isArray()) {
            walkArray((ArrayNode) value, schema, path, old, found);
        } else {
            checkScalar(value, schema, path, errors);
        }
        for (CelRule rule : rules.getOrDefault(schema, List.of())) {
            rule.check(value, old, path.isEmpty() ? "<root>" : path, schema.path("type").asText("object"))
                    .ifPresent(errors::add);
        }
    }

    private void walkObject(ObjectNode object, JsonNode schema, String path, JsonNode old, Checked found,
                            boolean root) {
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        boolean keepUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String at = path.isEmpty() ? name : path + "." + name;
            JsonNode oldValue = old == null ? null : old.get(name);
            if (root && ROOT_FIELDS.contains(name)) {
                continue;
            }
            if (properties.has(name)) {
                walk(field.getValue(), properties.get(name), at, oldValue, found, false);
            } else if (additional.isObject()) {
                walk(field.getValue(), additional, at, oldValue, found, false);
            } else if (!keepUnknown) {
                fields.remove();
                found.pruned().add(at);
            }
        }
        for (JsonNode required : schema.path("required")) {
            if (!object.has(required.asText())) {
                String at = path.isEmpty() ? required.asText() : path + "." + required.asText();
                found.errors().add(new FieldError(FieldError.Reason.REQUIRED, at, "Required value"));
            }
        }
    }

    private void walkArray(ArrayNode array, JsonNode schema, String path, JsonNode old, Checked found) {
        List<FieldError> errors = found.errors();
        if (schema.has("maxItems") && array.size() > schema.get("maxItems").asInt()) {
            errors.add(new FieldError(FieldError.Reason.TOO_MANY, path, "Too many: " + array.size()
                    + ": must have at most " + schema.get("maxItems").asInt() + " items"));
        }
        JsonNode items = schema.path("items");
        for (int i = 0; i < array.size(); i++) {
            JsonNode oldItem = correspondingItem(array.get(i), i, schema, old);
            walk(array.get(i), items, path + "[" + i + "]", oldItem, found, false);
        }
        checkUniqueKeys(array, schema, path, errors);
    }

    /** The old item an item is compared with: by its keys in a map list, none otherwise (as the API server). */
    private static JsonNode correspondingItem(JsonNode item, int index, JsonNode schema, JsonNode old) {
        if (old == null || !old.isArray() || !"map".equals(schema.path("x-kubernetes-list-type").asText())) {
            return null;
        }
        for (JsonNode candidate : old) {
            if (keyOf(candidate, schema).equals(keyOf(item, schema))) {
                return candidate;
            }
        }
        return null;
    }

    private static void checkUniqueKeys(ArrayNode array, JsonNode schema, String path, List<FieldError> errors) {
        String listType = schema.path("x-kubernetes-list-type").asText("atomic");
        if (!listType.equals("map") && !listType.equals("set")) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String key = listType.equals("map") ? keyOf(array.get(i), schema) : array.get(i).toString();
            if (!seen.add(key)) {
                errors.add(new FieldError(FieldError.Reason.DUPLICATE, path + "[" + i + "]", "Duplicate value: "
                        + key));
            }
        }
    }

    private static String keyOf(JsonNode item, JsonNode schema) {
        List<String> keys = new ArrayList<>();
        schema.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
        return keys.stream().map(k -> "\"" + k + "\":" + item.path(k)).collect(Collectors.joining(",", "{", "}"));
    }

    private static void checkScalar(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        if (schema.has("enum")) {
            List<String> allowed = new ArrayList<>();
            schema.get("enum").forEach(e -> allowed.add(e.toString()));
            if (!allowed.contains(value.toString())) {
                errors.add(new FieldError(FieldError.Reason.NOT_SUPPORTED, path, "Unsupported value: " + value
                        + ": supported values: " + String.join(", ", allowed)));
            }
        }
        if (!value.isTextual()) {
            checkNumber(value, schema, path, errors);
            return;
        }
        String text = value.asText();
        if (schema.has("maxLength") && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > schema.get("maxLength").asInt()) {
            errors.add(new FieldError(FieldError.Reason.TOO_LONG, path, "Too long: may not be more than "
                    + schema.get("maxLength").asInt() + " bytes"));
        }
        if (schema.has("minLength") && text.length() < schema.get("minLength").asInt()) {
            errors.add(new FieldError(FieldError.Reason.INVALID, path, "Invalid value: " + value + ": " + path
                    + " in body should be at least " + schema.get("minLength").asInt() + " chars long"));
        }
        if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(text).find()) {
            errors.add(new FieldError(FieldError.Reason.INVALID, path, "Invalid value: " + value + ": " + path
                    + " in body should match '" + schema.get("pattern").asText() + "'"));
        }
        if ("date-time".equals(schema.path("format").asText()) && !isDateTime(text)) {
            errors.add(new FieldError(FieldError.Reason.INVALID, path, "Invalid value: " + value + ": " + path
                    + " in body must be of type date-time: " + value));
        }
    }

    private static void checkNumber(JsonNode value, JsonNode schema, String path, List<FieldError> errors) {
        if (schema.has("minimum") && value.asDouble() < schema.get("minimum").asDouble()) {
            errors.add(new FieldError(FieldError.Reason.INVALID, path, "Invalid value: " + value + ": " + path
                    + " in body should be greater than or equal to " + number(schema.get("minimum"))));
        }
        if (schema.has("maximum") && value.asDouble() > schema.get("maximum").asDouble()) {
            errors.add(new FieldError(FieldError.Reason.INVALID, path, "Invalid value: " + value + ": " + path
                    + " in body should be less than or equal to " + number(schema.get("maximum"))));
        }
    }

    /** As Go prints a bound: 0, not 0.0. */
    private static String number(JsonNode bound) {
        return bound.asDouble() == Math.rint(bound.asDouble()) ? Long.toString(bound.asLong()) : bound.asText();
    }

    private static boolean isDateTime(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean typeMatches(JsonNode value, JsonNode schema) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            return value.isIntegralNumber() || value.isTextual();
        }
        return switch (schema.path("type").asText("")) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    private static String jsonType(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        return value.isBoolean() ? "boolean" : "string";
    }
}
