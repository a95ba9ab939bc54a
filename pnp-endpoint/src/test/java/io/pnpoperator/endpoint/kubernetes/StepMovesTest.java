package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.apiserver.StrictApiServer;
import io.pnpoperator.apiserver.WithStrictApiServer;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.StepMoves;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The moves a person may make are written twice — in Java for the admin API and the endpoint, in CEL in the
 * PnpDevice CRD for the API server — and must say the same: every step to every step, in each phase a person
 * meets, with and without a request in flight, edited as kubectl patch does and compared with {@link StepMoves}.
 */
@WithStrictApiServer
class StepMovesTest {

    static final String DEVICES = "/apis/pnp.pnpoperator.io/v1alpha1/namespaces/" + Cluster.NAMESPACE + "/pnpdevices";

    StrictApiServer server;
    KubernetesClient client;
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theCrdsRulesAndTheEndpointAgreeOnEveryMove() throws Exception {
        send("POST", DEVICES, "application/json", "{\"apiVersion\":\"pnp.pnpoperator.io/v1alpha1\",\"kind\":"
                + "\"PnpDevice\",\"metadata\":{\"name\":\"fgl0000mov1\"},\"spec\":{\"serialNumber\":\"FGL0000MOV1\"}}");
        List<String> disagreements = new ArrayList<>();
        int moves = 0;
        for (Phase phase : List.of(Phase.PROVISIONING, Phase.FAILED, Phase.BLOCKED, Phase.PROVISIONED, Phase.HELD)) {
            for (Step from : Step.values()) {
                for (boolean awaiting : List.of(false, true)) {
                    moves += everyMoveFrom(phase, from, awaiting, disagreements);
                }
            }
        }
        assertThat(moves).isEqualTo(5 * Step.values().length * 2 * Step.values().length);
        assertThat(disagreements).isEmpty();
    }

    /** Every move from one state, as a person edits it; the moves tried. */
    private int everyMoveFrom(Phase phase, Step from, boolean awaiting, List<String> disagreements) throws Exception {
        // As the endpoint writes it: the step, the same step as the one it last wrote, a request in flight or not.
        String written = "{\"status\":{\"phase\":\"" + phase.label() + "\",\"step\":\"" + from + "\",\"exchange\":"
                + "{\"step\":\"" + from + "\",\"pendingCorrelator\":" + (awaiting ? "\"c-1\"" : "null") + "}}}";
        assertThat(send("PATCH", DEVICES + "/fgl0000mov1/status", "application/merge-patch+json", written)
                .statusCode()).isEqualTo(200);
        for (Step to : Step.values()) {
            // As a person edits it: the step alone, on the status subresource. An accepted move is undone.
            HttpResponse<String> edit = send("PATCH", DEVICES + "/fgl0000mov1/status?fieldManager=kubectl-patch",
                    "application/merge-patch+json", "{\"status\":{\"step\":\"" + to + "\"}}");
            boolean accepted = edit.statusCode() == 200;
            if (accepted) {
                send("PATCH", DEVICES + "/fgl0000mov1/status", "application/merge-patch+json",
                        "{\"status\":{\"step\":\"" + from + "\"}}");
            }
            Optional<String> refusal = StepMoves.refusal(from, to, phase, awaiting);
            if (accepted != refusal.isEmpty()) {
                disagreements.add(phase + (awaiting ? " awaiting " : " ") + from + " → " + to + ": API server "
                        + (accepted ? "accepts" : "refuses") + ", endpoint " + (refusal.isEmpty() ? "allows" : "refuses")
                        + " " + edit.body());
            } else if (!accepted) {
                assertThat(edit.body()).contains(refusal.get());
            }
        }
        return Step.values().length;
    }

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url(path))).header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
