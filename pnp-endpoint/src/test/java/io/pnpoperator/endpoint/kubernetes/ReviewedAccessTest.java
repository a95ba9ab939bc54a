package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.testcluster.WithCluster;
import io.pnpoperator.endpoint.Lab;
import io.pnpoperator.endpoint.PnpServer;
import io.pnpoperator.endpoint.protocol.Samples;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API in a cluster answers to Kubernetes: the API server reviews the caller's token (TokenReview), and
 * RBAC on PnpDevices decides what it may do (SubjectAccessReview). Alice is a ServiceAccount whose Role lets her
 * read devices but not patch their status; her token comes from the TokenRequest API, as {@code kubectl create token}.
 */
@WithCluster
class ReviewedAccessTest {

    ControlPlane cluster;
    KubernetesClient client;
    @TempDir
    Path folder;
    PnpServer endpoint;
    String alice;
    String aliceToken;

    @BeforeEach
    void cluster() throws Exception {
        Lab lab = Lab.create(folder);
        KubernetesModeTest.createProfile(client, lab, "default");
        aliceToken = cluster.serviceAccountWithRole(client.getNamespace(), "alice", new PolicyRuleBuilder()
                .withApiGroups("pnp.pnpoperator.io").withResources("pnpdevices").withVerbs("get", "list", "watch").build());
        alice = "system:serviceaccount:" + client.getNamespace() + ":alice";
        endpoint = PnpServer.start(lab, KubernetesModeTest.args(client, lab, "register"));
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

        long mark = cluster.auditLog().mark();
        assertThat(admin("GET", "/api/devices", aliceToken).statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/api/devices/FGL2548L0AW", aliceToken).statusCode()).isEqualTo(200);
        HttpResponse<String> move = admin("PUT", "/api/devices/FGL2548L0AW/step", aliceToken);
        assertThat(move.statusCode()).isEqualTo(403);
        assertThat(PnpServer.json(move.body()).get("error").asText()).isEqualTo(alice
                + " may not patch pnpdevices/status fgl2548l0aw in namespace " + client.getNamespace());
        assertThat(accessReviews(mark)).as("a review per request kind").isEqualTo(3);

        long later = cluster.auditLog().mark();
        assertThat(admin("GET", "/api/devices", aliceToken).statusCode()).isEqualTo(200);
        assertThat(accessReviews(later)).as("a verdict is kept a minute").isZero();
    }

    private long accessReviews(long mark) {
        return cluster.auditLog().since(mark, c -> "subjectaccessreviews".equals(c.resource()), cluster).size();
    }

    private HttpResponse<String> admin(String method, String path, String token) {
        return method.equals("GET") ? endpoint.get(endpoint.adminUrl(), path, "Authorization", "Bearer " + token)
                : endpoint.send(HttpRequest.newBuilder(endpoint.adminUrl().resolve(path))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"step\":\"FINISHED\"}")).build());
    }
}
