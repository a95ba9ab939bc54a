package io.pnpoperator.apiserver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.regex.Pattern;

/**
 * In front of fabric8's CRUD dispatcher (which keeps the objects and serves watches): every write of a custom
 * resource is first turned into the object as it would be stored — a JSON Patch or merge patch applied, the
 * status or the rest kept as the subresource says, whatever the query string — and checked as the API server
 * checks it (resourceVersion, schema, CEL rules, name); only an object that passes reaches the store, as a
 * plain update. Reads get discovery, Tables and field selectors as kubectl expects them; access reviews are
 * answered as for a cluster-admin (this server has no RBAC).
 */
final class StrictDispatcher extends Dispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final Dispatcher expected;
    private final Dispatcher store;
    private final CustomResources resources = new CustomResources();
    private final Discovery discovery = new Discovery(resources);

    /**
     * @param expectations what a test told the server to answer ({@code server.expect()}): answered first, as
     *                     told, so a test can still make the API server fail on purpose
     */
    StrictDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations) {
        this.expectations = expectations;
        this.expected = new MockDispatcher(expectations);
        // The subresource rules are applied here, before the store: it takes each object whole, status and all
        // (its own rules would drop the metadata a status write records, such as managedFields).
        this.store = new KubernetesCrudDispatcher() {
            @Override
            public boolean isStatusSubresourceEnabledForResource(String path) {
                return false;
            }
        };
    }

    CustomResources resources() {
        return resources;
    }

    @Override
    public MockResponse dispatch(RecordedRequest received) {
        Queue<ServerResponse> told = expectations.get(new SimpleRequest(received.method(), received.getPath()));
        if (told != null && !told.isEmpty()) {
            return expected.dispatch(received);
        }
        String path = received.getPath();
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        Optional<RecordedRequest> readable = asJson(received);
        if (readable.isEmpty()) {
            return Refusals.unsupportedMediaType("this test server reads JSON bodies, and protobuf only for Secrets "
                    + "and ConfigMaps");
        }
        RecordedRequest request = readable.get();
        if (bare.startsWith("/openapi/v2")) {
            return Refusals.json(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                    + "\"message\":\"the server could not find the requested resource\",\"reason\":\"NotFound\","
                    + "\"code\":404}");
        }
        if (request.method() == HttpMethod.GET) {
            Optional<ObjectNode> document = discovery.answer(bare);
            if (document.isPresent()) {
                return Refusals.json(200, document.get());
            }
        }
        Optional<ApiPath> parsed = ApiPath.parse(path);
        if (parsed.isPresent() && parsed.get().group().equals("authorization.k8s.io")
                && request.method() == HttpMethod.POST) {
            return AccessReviews.allowEverything(text(request.getBody()));
        }
        if (parsed.isEmpty()) {
            return withJsonType(store.dispatch(request));
        }
        ApiPath api = parsed.get();
        if (api.group().equals("apiextensions.k8s.io") && api.plural().equals("customresourcedefinitions")) {
            return definitions(request, api);
        }
        Optional<CustomResourceKind> kind = resources.find(api.group(), api.version(), api.plural());
        return switch (request.method()) {
            case POST, PUT, PATCH -> withJsonType(kind.map(k -> write(request, api, k))
                    .orElseGet(() -> builtIn(request, api)));
            case GET -> read(request, api, kind);
            default -> withJsonType(store.dispatch(request));
        };
    }

    /**
     * A write of a built-in object (a Lease, a ConfigMap, an Event) as the CRUD store does it, but refused with 409,
     * as the API server refuses it, when it is a replacement naming a resourceVersion that is no longer the object's:
     * that is what makes a read-modify-write of a Lease safe between replicas. Checked and written in one step.
     */
    private synchronized MockResponse builtIn(RecordedRequest request, ApiPath api) {
        if (request.method() == HttpMethod.PUT && api.name() != null) {
            String expected = parse(text(request.getBody())).path("metadata").path("resourceVersion").asText("");
            MockResponse read = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET, api.objectPath(),
                    Headers.builder().build(), new Buffer()));
            if (!expected.isEmpty() && read.code() == 200 && !expected.equals(parse(text(read.getBody()))
                    .path("metadata").path("resourceVersion").asText())) {
                return Refusals.conflict(api.plural(), api.group(), api.name());
            }
        }
        return store.dispatch(request);
    }

    /** CRDs are stored as any object; the server learns each kind's schema, columns and names from them. */
    private MockResponse definitions(RecordedRequest request, ApiPath api) {
        synchronized (this) {
            MockResponse response = store.dispatch(request);
            if (request.method() == HttpMethod.DELETE && api.name() != null) {
                resources.removed(api.name());
            } else if (request.method() != HttpMethod.GET && response.code() < 300) {
                ObjectNode crd = (ObjectNode) parse(text(response.getBody()));
                resources.defined(crd);
                return withJsonType(established(crd, response.code()));
            }
            return withJsonType(response);
        }
    }

    /**
     * A CRD as the API server has it a moment after it is written: its names accepted and the kind established
     * (Helm waits for that before it installs anything else), its storage version recorded.
     */
    private MockResponse established(ObjectNode crd, int code) {
        ObjectNode status = crd.putObject("status");
        status.set("acceptedNames", crd.path("spec").path("names").deepCopy());
        ArrayNode conditions = status.putArray("conditions");
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        for (String type : List.of("NamesAccepted", "Established")) {
            conditions.addObject().put("type", type).put("status", "True").put("reason", type.equals("Established")
                    ? "InitialNamesAccepted" : "NoConflicts").put("message", "").put("lastTransitionTime", now);
        }
        ArrayNode stored = status.putArray("storedVersions");
        crd.path("spec").path("versions").forEach(v -> {
            if (v.path("storage").asBoolean(false)) {
                stored.add(v.path("name").asText());
            }
        });
        MockResponse written = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PUT,
                "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + crd.path("metadata").path("name").asText(),
                jsonHeaders(), new Buffer().writeUtf8(crd.toString())));
        return written.setResponseCode(code);
    }

    private MockResponse read(RecordedRequest request, ApiPath api, Optional<CustomResourceKind> kind) {
        boolean watch = "true".equals(api.query().get("watch")) || "1".equals(api.query().get("watch"));
        String selector = api.query().get("fieldSelector");
        if (watch) {
            return store.dispatch(request);
        }
        MockResponse response = selector == null || api.name() != null ? store.dispatch(request)
                : filtered(api, selector);
        if (response.code() != 200) {
            return withJsonType(response);
        }
        JsonNode found = parse(text(response.getBody()));
        if (found.has("items")) {
            // Typed as the API server types a list (kubectl's typed clients decode EventList, not List).
            String groupVersion = api.group().isEmpty() ? api.version() : api.group() + "/" + api.version();
            discovery.kindOf(groupVersion, api.plural()).ifPresent(k -> ((ObjectNode) found).put("kind", k + "List")
                    .put("apiVersion", groupVersion));
            // As etcd keeps them: by namespace, then name.
            List<JsonNode> items = new ArrayList<>();
            found.get("items").forEach(items::add);
            items.sort(java.util.Comparator.comparing((JsonNode i) -> i.path("metadata").path("namespace").asText())
                    .thenComparing(i -> i.path("metadata").path("name").asText()));
            ((ObjectNode) found).set("items", JSON.valueToTree(items));
        }
        if (kind.isEmpty() || !Tables.wanted(request.getHeader("Accept"))) {
            return Refusals.json(200, found);
        }
        return Refusals.json(200, Tables.of(kind.get(), found, "Object".equals(api.query().get("includeObject"))));
    }

    /** A list with a field selector on any field ({@code involvedObject.name=...}, as kubectl describe asks). */
    private MockResponse filtered(ApiPath api, String selector) {
        MockResponse all = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET, api.collectionPath(),
                Headers.builder().build(), new Buffer()));
        if (all.code() != 200) {
            return all;
        }
        ObjectNode list = (ObjectNode) parse(text(all.getBody()));
        ArrayNode kept = JSON.createArrayNode();
        list.path("items").forEach(item -> {
            if (matches(item, selector)) {
                kept.add(item);
            }
        });
        list.set("items", kept);
        return Refusals.json(200, list);
    }

    private static boolean matches(JsonNode item, String selector) {
        for (String requirement : selector.split(",")) {
            boolean negated = requirement.contains("!=");
            String[] sides = requirement.split("!=|==|=", 2);
            JsonNode value = item;
            for (String field : sides[0].split("\\.")) {
                value = value.path(field);
            }
            if (value.asText().equals(sides.length > 1 ? sides[1] : "") == negated) {
                return false;
            }
        }
        return true;
    }

    private synchronized MockResponse write(RecordedRequest request, ApiPath api, CustomResourceKind kind) {
        JsonNode body;
        try {
            body = JSON.readTree(text(request.getBody()));
        } catch (JsonProcessingException e) {
            return Refusals.badRequest("the body of the request could not be decoded: " + e.getOriginalMessage());
        }
        if (request.method() == HttpMethod.POST) {
            return create(request, api, kind, body);
        }
        MockResponse read = store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.GET, api.objectPath(),
                Headers.builder().build(), new Buffer()));
        if (read.code() == 404) {
            return Refusals.notFound(kind, api.name());
        }
        ObjectNode current = (ObjectNode) parse(text(read.getBody()));
        JsonNode requested;
        if (request.method() == HttpMethod.PUT) {
            requested = body;
        } else {
            String type = String.valueOf(request.getHeader("Content-Type"));
            if (type.startsWith("application/json-patch+json")) {
                try {
                    requested = JsonPatch.apply(body, current);
                } catch (RuntimeException e) {
                    return Refusals.patchNotApplied(e.getMessage());
                }
            } else if (type.startsWith("application/merge-patch+json")) {
                requested = mergePatch(current.deepCopy(), body);
            } else {
                return Refusals.unsupportedPatch(type);
            }
        }
        if (!requested.isObject()) {
            return Refusals.badRequest("the request is not an object");
        }
        String expectedVersion = requested.path("metadata").path("resourceVersion").asText("");
        String currentVersion = current.path("metadata").path("resourceVersion").asText();
        if (!expectedVersion.isEmpty() && !expectedVersion.equals(currentVersion)) {
            return Refusals.conflict(kind, api.name());
        }
        ObjectNode stored = storedForm(current, (ObjectNode) requested, api, kind);
        SchemaCheck.Checked checked = kind.schema().check(stored, current);
        Optional<MockResponse> refused = refusal(api, kind, api.name(), checked);
        if (refused.isPresent()) {
            return refused.get();
        }
        ((ObjectNode) stored.get("metadata")).put("resourceVersion", currentVersion);
        recordManager(stored, current, api, kind, request);
        return warned(store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PUT, api.objectPath(), jsonHeaders(),
                new Buffer().writeUtf8(stored.toString()))), checked);
    }

    private MockResponse create(RecordedRequest request, ApiPath api, CustomResourceKind kind, JsonNode body) {
        if (!body.isObject()) {
            return Refusals.badRequest("the request is not an object");
        }
        ObjectNode object = (ObjectNode) body.deepCopy();
        ObjectNode metadata = object.with("metadata");
        String name = metadata.path("name").asText("");
        List<FieldError> errors = new ArrayList<>();
        if (!DNS_SUBDOMAIN.matcher(name).matches() || name.length() > 253) {
            errors.add(new FieldError(FieldError.Reason.INVALID, "metadata.name", "Invalid value: \"" + name
                    + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
                    + "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                    + "validation is '" + DNS_SUBDOMAIN.pattern() + "')"));
        }
        if (kind.statusSubresource()) {
            object.remove("status");
        }
        SchemaCheck.Checked checked = kind.schema().check(object, null);
        checked.errors().addAll(0, errors);
        recordManager(object, object, api, kind, request);
        Optional<MockResponse> refused = refusal(api, kind, name, checked);
        if (refused.isPresent()) {
            return refused.get();
        }
        return warned(store.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.POST, api.collectionPath(),
                jsonHeaders(), new Buffer().writeUtf8(object.toString()))), checked);
    }

    /**
     * Unknown fields refused when the client asked for {@code fieldValidation=Strict} (kubectl does), as the API
     * server words it; then any error of the schema or the rules.
     */
    private static Optional<MockResponse> refusal(ApiPath api, CustomResourceKind kind, String name,
                                                  SchemaCheck.Checked checked) {
        if ("Strict".equals(api.query().get("fieldValidation")) && !checked.pruned().isEmpty()) {
            return Optional.of(Refusals.badRequest(kind.kind() + " in version \"" + kind.version() + "\" cannot be "
                    + "handled as a " + kind.kind() + ": strict decoding error: " + checked.pruned().stream()
                    .map(f -> "unknown field \"" + f + "\"").collect(java.util.stream.Collectors.joining(", "))));
        }
        if (!checked.errors().isEmpty()) {
            return Optional.of(Refusals.invalid(kind, name, checked.errors()));
        }
        return Optional.empty();
    }

    /** Unknown fields dropped without {@code Strict}: said in a Warning header, which kubectl prints. */
    private static MockResponse warned(MockResponse response, SchemaCheck.Checked checked) {
        checked.pruned().forEach(f -> response.addHeader("Warning", "299 - \"unknown field \\\"" + f + "\\\"\""));
        return response;
    }

    /** What an update of the object or of its status subresource leaves: the other part stays as it was. */
    private static ObjectNode storedForm(ObjectNode current, ObjectNode requested, ApiPath api,
                                         CustomResourceKind kind) {
        if (api.isStatus()) {
            ObjectNode stored = current.deepCopy();
            if (requested.has("status")) {
                stored.set("status", requested.get("status").deepCopy());
            } else {
                stored.remove("status");
            }
            return stored;
        }
        ObjectNode stored = requested.deepCopy();
        if (kind.statusSubresource()) {
            if (current.has("status")) {
                stored.set("status", current.get("status").deepCopy());
            } else {
                stored.remove("status");
            }
        }
        return stored;
    }

    /**
     * {@code metadata.managedFields} as the API server keeps it for updates: one entry per field manager and
     * subresource, with the time of its latest write. The manager is the request's {@code fieldManager}
     * (kubectl sends kubectl-patch, kubectl-edit, ...), else the first word of its User-Agent.
     */
    private static void recordManager(ObjectNode stored, JsonNode current, ApiPath api, CustomResourceKind kind,
                                      RecordedRequest request) {
        String userAgent = String.valueOf(request.getHeader("User-Agent"));
        String manager = api.query().getOrDefault("fieldManager", userAgent.split("[/ ]")[0]);
        String subresource = api.isStatus() ? "status" : "";
        ArrayNode entries = JSON.createArrayNode();
        current.path("metadata").path("managedFields").forEach(e -> {
            if (!(e.path("manager").asText().equals(manager) && e.path("subresource").asText("").equals(subresource))) {
                entries.add(e);
            }
        });
        ObjectNode entry = entries.addObject().put("manager", manager).put("operation", "Update")
                .put("apiVersion", kind.apiVersion())
                .put("time", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .put("fieldsType", "FieldsV1");
        entry.putObject("fieldsV1");
        if (!subresource.isEmpty()) {
            entry.put("subresource", subresource);
        }
        ((ObjectNode) stored.with("metadata")).set("managedFields", entries);
    }

    /**
     * The request with a body this server reads: typed clients send built-in objects as protobuf (Helm its release
     * Secrets, kubectl create configmap), read into JSON; a strategic merge patch (kubectl and Helm patch built-in
     * objects so) becomes a merge patch, lists replaced whole. Empty: a protobuf body of another kind.
     */
    private static Optional<RecordedRequest> asJson(RecordedRequest request) {
        String type = String.valueOf(request.getHeader("Content-Type"));
        if (type.contains("protobuf")) {
            return ProtobufBodies.read(request.getBody().getBytes()).map(object -> new RecordedRequest("HTTP/1.1",
                    request.method(), request.getPath(), jsonHeaders(), new Buffer().writeUtf8(object.toString())));
        }
        if (type.startsWith("application/strategic-merge-patch+json")) {
            return Optional.of(new RecordedRequest("HTTP/1.1", request.method(), request.getPath(),
                    Headers.builder().add("Content-Type", "application/merge-patch+json").build(),
                    new Buffer().writeUtf8(withoutDirectives(parse(text(request.getBody()))).toString())));
        }
        return Optional.of(request);
    }

    /** A strategic merge patch without its {@code $…} directives: what of it a merge patch can say. */
    private static JsonNode withoutDirectives(JsonNode patch) {
        if (patch.isObject()) {
            ObjectNode plain = JSON.createObjectNode();
            patch.fields().forEachRemaining(f -> {
                if (!f.getKey().startsWith("$")) {
                    plain.set(f.getKey(), withoutDirectives(f.getValue()));
                }
            });
            return plain;
        }
        if (patch.isArray()) {
            ArrayNode plain = JSON.createArrayNode();
            patch.forEach(item -> plain.add(withoutDirectives(item)));
            return plain;
        }
        return patch;
    }

    /** RFC 7386: objects merged field by field, null removes, anything else replaces. */
    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getValue().isNull()) {
                result.remove(field.getKey());
            } else {
                result.set(field.getKey(), mergePatch(result.path(field.getKey()), field.getValue()));
            }
        }
        return result;
    }

    /** A body as text, left in place (the request as recorded, the answer as sent). */
    private static String text(Buffer body) {
        return new String(body.getBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Headers jsonHeaders() {
        return Headers.builder().add("Content-Type", "application/json").build();
    }

    private static MockResponse withJsonType(MockResponse response) {
        if (response.getHeaders() == null || response.getHeaders().get("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the store answered something that is not JSON: " + json, e);
        }
    }
}
