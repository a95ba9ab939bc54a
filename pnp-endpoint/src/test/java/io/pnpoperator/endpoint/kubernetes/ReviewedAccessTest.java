package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pnpoperator.apiserver.WithStrictApiServer;
import io.pnpoperator.endpoint.Lab;
import io.pnpoperator.endpoint.PnpServer;
import io.pnpoperator.endpoint.protocol.Samples;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API in a cluster answers to Kubernetes: the API server reviews the caller's token, and RBAC on
 * PnpDevices decides what it may do. The test API server, told what to answer, stands in for the reviews: alice's token is known and
 * her RBAC lets her read devices but not patch their status; anything else is an unknown token.
 */
@WithStrictApiServer
class ReviewedAccessTest {

    KubernetesMockServer mockServer;
    KubernetesClient client;
    @TempDir
    Path folder;
    PnpServer endpoint;
    final List<String> accessReviews = new ArrayList<>();

    @BeforeEach
    void cluster() throws Exception {
        Lab lab = Lab.create(folder);
        KubernetesModeTest.createProfile(client, lab, "default");
        mockServer.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, request -> {
            boolean alice = request.getBody().readUtf8().contains("\"alice-token\"");
            return new TokenReviewBuilder().withNewStatus().withAuthenticated(alice).withNewUser()
                    .withUsername(alice ? "alice" : null).withGroups(alice ? List.of("noc") : List.of()).endUser()
                    .endStatus().build();
        }).always();
        mockServer.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(201,
                request -> {
                    String review = request.getBody().readUtf8();
                    accessReviews.add(review);
                    return new SubjectAccessReviewBuilder().withNewStatus()
                            .withAllowed(!review.contains("\"verb\":\"patch\"")).endStatus().build();
                }).always();
        endpoint = PnpServer.start(lab, KubernetesModeTest.args(mockServer, lab, "register"));
        endpoint.post("/pnp/WORK-REQUEST", Samples.bytes("device-work-request-factory-reset.xml"));
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void rbacOnPnpDevicesDecidesWhoReadsAndWhoMovesADevice() {
        HttpResponse<String> none = endpoint.get(endpoint.adminUrl(), "/api/devices");
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(PnpServer.json(none.body()).get("error").asText())
                .isEqualTo("the admin API needs a Kubernetes bearer token (kubectl create token <account>)");
        assertThat(admin("GET", "/api/devices", "mallory-token").statusCode()).isEqualTo(401);

        assertThat(admin("GET", "/api/devices", "alice-token").statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/api/devices/FGL2548L0AW", "alice-token").statusCode()).isEqualTo(200);
        HttpResponse<String> move = admin("PUT", "/api/devices/FGL2548L0AW/step", "alice-token");
        assertThat(move.statusCode()).isEqualTo(403);
        assertThat(PnpServer.json(move.body()).get("error").asText())
                .isEqualTo("alice may not patch pnpdevices/status fgl2548l0aw in namespace pnp");

        assertThat(accessReviews).as("the user, groups and resource reviewed, once per request kind")
                .hasSize(3).allSatisfy(r -> assertThat(r).contains("\"user\":\"alice\"", "\"noc\"",
                        "\"group\":\"pnp.pnpoperator.io\"", "\"resource\":\"pnpdevices\"", "\"namespace\":\"pnp\""));
        assertThat(admin("GET", "/api/devices", "alice-token").statusCode()).isEqualTo(200);
        assertThat(accessReviews).as("a verdict is kept a minute").hasSize(3);
    }

    private HttpResponse<String> admin(String method, String path, String token) {
        return method.equals("GET") ? endpoint.get(endpoint.adminUrl(), path, "Authorization", "Bearer " + token)
                : endpoint.send(HttpRequest.newBuilder(endpoint.adminUrl().resolve(path))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"step\":\"FINISHED\"}")).build());
    }
}
