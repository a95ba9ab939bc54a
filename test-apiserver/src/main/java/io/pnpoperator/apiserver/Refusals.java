package io.pnpoperator.apiserver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;
import java.util.stream.Collectors;

/** The API server's refusals, as {@code Status} objects with its codes, reasons and message wording. */
final class Refusals {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Refusals() {
    }

    /** 422: the object as it would be stored breaks its schema or a rule. */
    static MockResponse invalid(CustomResourceKind kind, String name, List<FieldError> errors) {
        String causes = errors.stream().map(FieldError::message).collect(Collectors.joining(", "));
        ObjectNode status = status(422, "Invalid", kind.qualifiedKind() + " \"" + name + "\" is invalid: "
                + (errors.size() == 1 ? causes : "[" + causes + "]"));
        ObjectNode details = status.putObject("details").put("name", name).put("group", kind.group())
                .put("kind", kind.kind());
        ArrayNode list = details.putArray("causes");
        errors.forEach(e -> list.addObject().put("reason", e.reason().apiName()).put("message", e.detail())
                .put("field", e.field()));
        return answer(status);
    }

    /** 422: a JSON Patch that cannot be applied, a failed {@code test} among them. */
    static MockResponse patchNotApplied(String why) {
        ObjectNode status = status(422, "Invalid", "the server rejected our request due to an error in our request");
        status.putObject("details").putArray("causes").addObject().put("message", why);
        return answer(status);
    }

    static MockResponse conflict(CustomResourceKind kind, String name) {
        return conflict(kind.plural(), kind.group(), name);
    }

    /** 409: an update of an object as read at a resourceVersion that is no longer its own. */
    static MockResponse conflict(String plural, String group, String name) {
        String resource = group.isEmpty() ? plural : plural + "." + group;
        ObjectNode status = status(409, "Conflict", "Operation cannot be fulfilled on " + resource + " \"" + name
                + "\": the object has been modified; please apply your changes to the latest version and try again");
        status.putObject("details").put("name", name).put("group", group).put("kind", plural);
        return answer(status);
    }

    static MockResponse notFound(CustomResourceKind kind, String name) {
        ObjectNode status = status(404, "NotFound", kind.plural() + "." + kind.group() + " \"" + name
                + "\" not found");
        status.putObject("details").put("name", name).put("group", kind.group()).put("kind", kind.plural());
        return answer(status);
    }

    static MockResponse unsupportedPatch(String contentType) {
        return answer(status(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                + "accepted media types include: application/json-patch+json, application/merge-patch+json "
                + "(this test server has no server-side apply; " + contentType + " was sent)"));
    }

    static MockResponse unsupportedMediaType(String message) {
        return answer(status(415, "UnsupportedMediaType", message));
    }

    static MockResponse badRequest(String message) {
        return answer(status(400, "BadRequest", message));
    }

    static MockResponse json(int code, Object body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(body instanceof String s ? s : body.toString());
    }

    private static ObjectNode status(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        return status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    }

    private static MockResponse answer(ObjectNode status) {
        return json(status.get("code").asInt(), status);
    }
}
