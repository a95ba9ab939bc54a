package io.pnpoperator.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The strict server against what the Kubernetes documentation and the API server's own code say it answers; each
 * refusal is checked to have stored nothing. Requests are raw HTTP, shaped as kubectl sends them.
 */
class StrictApiServerTest {

    static final String WIDGETS = "/apis/example.io/v1/namespaces/shop/widgets";
    static final ObjectMapper JSON = new ObjectMapper();

    StrictApiServer server;
    KubernetesClient client;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = StrictApiServer.running();
        client = server.createClient();
        server.installCrds(client, Path.of("src/test/resources"));
        assertThat(send("POST", WIDGETS, "application/json", """
                {"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"w1"},"spec":{"size":"small"}}""")
                .statusCode()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void aBuiltInObjectReplacedAsReadAtAnOlderVersionIsRefusedWithAConflict() {
        io.fabric8.kubernetes.api.model.coordination.v1.Lease lease = client.resource(
                new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder().withNewMetadata().withName("slots")
                        .withNamespace("test").endMetadata().withNewSpec().withHolderIdentity("a").endSpec().build())
                .create();
        lease.getSpec().setHolderIdentity("b");
        io.fabric8.kubernetes.api.model.coordination.v1.Lease updated = client.resource(lease).update();
        assertThat(updated.getSpec().getHolderIdentity()).isEqualTo("b");

        lease.getSpec().setHolderIdentity("c");
        assertThatThrownBy(() -> client.resource(lease).update())
                .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getStatus().getMessage()).isEqualTo("Operation cannot be fulfilled on "
                            + "leases.coordination.k8s.io \"slots\": the object has been modified; please apply your "
                            + "changes to the latest version and try again");
                });
        assertThat(client.leases().inNamespace("test").withName("slots").get().getSpec().getHolderIdentity())
                .as("nothing stored").isEqualTo("b");
    }

    @Test
    void aValueOutsideTheEnumIsRefusedWithTheApiServersWordingAndNothingIsStored() throws Exception {
        HttpResponse<String> refused = send("PATCH", WIDGETS + "/w1", "application/merge-patch+json",
                "{\"spec\":{\"size\":\"BOGUS\",\"tags\":[\"a\",\"b\",\"c\"]}}");
        assertThat(refused.statusCode()).isEqualTo(422);
        JsonNode status = JSON.readTree(refused.body());
        assertThat(status.get("message").asText()).isEqualTo("Widget.example.io \"w1\" is invalid: [spec.size: "
                + "Unsupported value: \"BOGUS\": supported values: \"small\", \"large\", \"huge\", spec.tags: Too many: 3: "
                + "must have at most 2 items]");
        assertThat(status.get("reason").asText()).isEqualTo("Invalid");
        assertThat(status.at("/details/causes/0/reason").asText()).isEqualTo("FieldValueNotSupported");
        assertThat(status.at("/details/causes/0/field").asText()).isEqualTo("spec.size");
        assertThat(widget("w1").at("/spec/size").asText()).isEqualTo("small");
    }

    @Test
    void requiredPatternTypeAndDateTimeAreChecked() throws Exception {
        HttpResponse<String> refused = send("POST", WIDGETS, "application/json", """
                {"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"w2"},
                 "spec":{"color":"Red!","count":"3"}}""");
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(refused.body()).get("message").asText()).contains(
                "spec.color: Invalid value: \"Red!\": spec.color in body should match '^[a-z]+$'",
                "spec.count: Invalid value: \"string\": spec.count in body must be of type integer: \"string\"",
                "spec.size: Required value");
        assertThat(send("GET", WIDGETS + "/w2", null, null).statusCode()).isEqualTo(404);

        HttpResponse<String> badTime = send("PATCH", WIDGETS + "/w1/status", "application/merge-patch+json",
                "{\"status\":{\"since\":\"yesterday\"}}");
        assertThat(badTime.body()).contains("status.since: Invalid value: \\\"yesterday\\\": status.since in body "
                + "must be of type date-time: \\\"yesterday\\\"");
    }

    @Test
    void celRulesAndTransitionRulesAreEvaluated() throws Exception {
        HttpResponse<String> huge = send("PATCH", WIDGETS + "/w1", "application/merge-patch+json",
                "{\"spec\":{\"size\":\"huge\"}}");
        assertThat(huge.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(huge.body()).get("message").asText())
                .isEqualTo("Widget.example.io \"w1\" is invalid: spec: Invalid value: \"object\": a huge widget needs a color");

        assertThat(send("PATCH", WIDGETS + "/w1", "application/merge-patch+json",
                "{\"spec\":{\"size\":\"huge\",\"color\":\"red\"}}").statusCode()).isEqualTo(200);
        HttpResponse<String> recolor = send("PATCH", WIDGETS + "/w1", "application/merge-patch+json",
                "{\"spec\":{\"color\":\"blue\"}}");
        assertThat(recolor.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(recolor.body()).at("/details/causes/0/field").asText()).isEqualTo("spec.color");
        assertThat(widget("w1").at("/spec/color").asText()).isEqualTo("red");
    }

    @Test
    void statusSubresourceWritesOnlyStatusWhateverTheQueryString() throws Exception {
        HttpResponse<String> patched = send("PATCH", WIDGETS + "/w1/status?fieldManager=kubectl-patch",
                "application/merge-patch+json", "{\"spec\":{\"size\":\"large\"},\"status\":{\"phase\":\"Ready\"}}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(widget("w1").at("/status/phase").asText()).isEqualTo("Ready");
        assertThat(widget("w1").at("/spec/size").asText()).isEqualTo("small");
        assertThat(widget("w1").at("/metadata/managedFields").findValuesAsText("manager")).contains("kubectl-patch");
        assertThat(widget("w1").at("/metadata/managedFields").toString())
                .contains("\"manager\":\"kubectl-patch\",\"operation\":\"Update\"").contains("\"subresource\":\"status\"");

        send("PATCH", WIDGETS + "/w1?fieldManager=kubectl-edit", "application/merge-patch+json",
                "{\"spec\":{\"size\":\"large\"},\"status\":{\"phase\":\"Gone\"}}");
        assertThat(widget("w1").at("/spec/size").asText()).isEqualTo("large");
        assertThat(widget("w1").at("/status/phase").asText()).isEqualTo("Ready");
        assertThat(widget("w1").at("/metadata/generation").asInt()).isEqualTo(2);
    }

    @Test
    void staleResourceVersionIs409AndAFailedJsonPatchTestIs422AtOnce() throws Exception {
        String version = widget("w1").at("/metadata/resourceVersion").asText();
        send("PATCH", WIDGETS + "/w1/status", "application/merge-patch+json", "{\"status\":{\"phase\":\"A\"}}");

        HttpResponse<String> stale = send("PUT", WIDGETS + "/w1", "application/json", """
                {"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"w1","resourceVersion":"%s"},
                 "spec":{"size":"large"}}""".formatted(version));
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(stale.body()).get("message").asText()).isEqualTo("Operation cannot be fulfilled on "
                + "widgets.example.io \"w1\": the object has been modified; please apply your changes to the latest "
                + "version and try again");

        HttpResponse<String> test = send("PATCH", WIDGETS + "/w1/status", "application/json-patch+json",
                "[{\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"" + version + "\"},"
                        + "{\"op\":\"add\",\"path\":\"/status/phase\",\"value\":\"B\"}]");
        assertThat(test.statusCode()).isEqualTo(422);
        assertThat(widget("w1").at("/status/phase").asText()).isEqualTo("A");
    }

    @Test
    void unknownFieldsArePrunedStatusOnCreateIsDroppedAndNamesMustBeLowerCase() throws Exception {
        assertThat(send("POST", WIDGETS, "application/json", """
                {"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"w3"},
                 "spec":{"size":"small","extra":1},"status":{"phase":"Made up"}}""").statusCode()).isEqualTo(201);
        assertThat(widget("w3").at("/spec").has("extra")).isFalse();
        assertThat(widget("w3").has("status")).isFalse();

        HttpResponse<String> upper = send("POST", WIDGETS, "application/json", """
                {"apiVersion":"example.io/v1","kind":"Widget","metadata":{"name":"W4"},"spec":{"size":"small"}}""");
        assertThat(upper.statusCode()).isEqualTo(422);
        assertThat(upper.body()).contains("metadata.name: Invalid value: \\\"W4\\\": a lowercase RFC 1123 subdomain");
    }

    @Test
    void mapListsRefuseDuplicateKeys() throws Exception {
        HttpResponse<String> twice = send("PATCH", WIDGETS + "/w1/status", "application/merge-patch+json", """
                {"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Ready","status":"False"}]}}""");
        assertThat(twice.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(twice.body()).at("/details/causes/0/field").asText())
                .isEqualTo("status.conditions[1]");
    }

    @Test
    void tablesCarryTheNameAndThePrinterColumnsWithTheirPriorities() throws Exception {
        send("PATCH", WIDGETS + "/w1/status", "application/merge-patch+json",
                "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url(WIDGETS))).header("Accept",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json").GET().build();
        JsonNode table = JSON.readTree(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
        assertThat(table.get("kind").asText()).isEqualTo("Table");
        assertThat(table.get("columnDefinitions").findValuesAsText("name"))
                .containsExactly("Name", "SIZE", "READY", "COLOR", "AGE");
        assertThat(table.at("/columnDefinitions/3/priority").asInt()).isEqualTo(1);
        assertThat(table.at("/rows/0/cells").toString()).matches("\\[\"w1\",\"small\",\"True\",null,\"\\d+s\"]");
        assertThat(table.at("/rows/0/object/kind").asText()).isEqualTo("PartialObjectMetadata");
    }

    @Test
    void discoveryNamesTheCustomResourcesWithShortNamesAndStatus() throws Exception {
        JsonNode groups = JSON.readTree(send("GET", "/apis", null, null).body());
        assertThat(groups.get("groups").findValuesAsText("name")).contains("example.io", "apiextensions.k8s.io");
        JsonNode resources = JSON.readTree(send("GET", "/apis/example.io/v1", null, null).body());
        assertThat(resources.get("resources").findValuesAsText("name")).containsExactly("widgets", "widgets/status");
        assertThat(resources.at("/resources/0/shortNames/0").asText()).isEqualTo("wdg");
    }

    private JsonNode widget(String name) throws Exception {
        return JSON.readTree(send("GET", WIDGETS + "/" + name, null, null).body());
    }

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url(path)));
        if (type != null) {
            request.header("Content-Type", type);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
