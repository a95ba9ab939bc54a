package io.pnpoperator.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code x-kubernetes-validations} rule, compiled once with a real CEL implementation: {@code self} is the
 * value at the rule's place in the object, {@code oldSelf} the same place before an update. As in the API server,
 * a rule naming {@code oldSelf} (a transition rule) is checked only on an update where the old value exists.
 */
final class CelRule {

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings())
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();

    private final String rule;
    private final String message;
    private final String reason;
    private final String fieldPath;
    private final CelRuntime.Program program;

    CelRule(JsonNode definition) {
        this.rule = definition.path("rule").asText();
        this.message = definition.path("message").asText("failed rule: " + rule);
        this.reason = definition.path("reason").asText("FieldValueInvalid");
        this.fieldPath = definition.path("fieldPath").asText("");
        try {
            this.program = CEL.createProgram(CEL.compile(rule).getAst());
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("x-kubernetes-validations rule does not compile: " + rule + ": "
                    + e.getMessage(), e);
        }
    }

    boolean isTransitionRule() {
        return rule.contains("oldSelf");
    }

    /** The error this rule makes of {@code self} (at {@code path}), if it does not hold. */
    Optional<FieldError> check(JsonNode self, JsonNode oldSelf, String path, String type) {
        if (isTransitionRule() && oldSelf == null) {
            return Optional.empty();
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("self", value(self));
        if (oldSelf != null) {
            variables.put("oldSelf", value(oldSelf));
        }
        String at = path + fieldPath;
        try {
            if (Boolean.TRUE.equals(program.eval(variables))) {
                return Optional.empty();
            }
            return Optional.of(new FieldError(reasonOf(reason), at, "Invalid value: \"" + type + "\": " + message));
        } catch (CelEvaluationException e) {
            return Optional.of(new FieldError(FieldError.Reason.INVALID, at, "Invalid value: \"" + type + "\": "
                    + "rule evaluation failed: " + e.getMessage()));
        }
    }

    private static FieldError.Reason reasonOf(String name) {
        for (FieldError.Reason r : FieldError.Reason.values()) {
            if (r.apiName().equals(name)) {
                return r;
            }
        }
        return FieldError.Reason.INVALID;
    }

    /** JSON as CEL's dynamic values: maps, lists, int64, double, string, bool, null. */
    static Object value(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(f -> map.put(f.getKey(), value(f.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(value(item)));
            return list;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNull()) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
        return node.asText();
    }
}
