package io.pnpoperator.operator;

import static io.pnpoperator.operator.TestProfiles.NS;
import static io.pnpoperator.operator.TestProfiles.awaitTrue;
import static io.pnpoperator.operator.TestProfiles.profile;
import static io.pnpoperator.operator.TestProfiles.startOperator;
import static io.pnpoperator.operator.TestProfiles.templates;
import static io.pnpoperator.operator.TestProfiles.volume;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pnpoperator.apiserver.WithStrictApiServer;
import io.pnpoperator.crds.profile.PnpProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's metrics after an API server error: the failed reconcile is counted and retried, and the
 * profile still becomes ready. The exposition is kept in target/ for the chart's tests (promtool, the
 * dashboard's and the alerts' metric names).
 */
@WithStrictApiServer
class OperatorMetricsTest {

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path volume;

    @Test
    void aFailedReconcileIsCountedAndRetried() throws Exception {
        volume(volume, true);
        templates(client, NS, Map.of("default.cfg", "hostname ${hostname}\n"));
        // The operator's first write of the profile's ConfigMap meets an API server error.
        server.expect().post().withPath("/api/v1/namespaces/" + NS + "/configmaps").andReturn(500,
                new StatusBuilder().withCode(500).withMessage("etcdserver: request timed out").build()).once();

        try (PnpOperator operator = startOperator(client, volume)) {
            client.resource(profile("isr1k", "", "default.cfg")).create();
            awaitTrue(() -> {
                PnpProfile p = client.resources(PnpProfile.class).inNamespace(NS).withName("isr1k").get();
                return p.getStatus() != null && Boolean.TRUE.equals(p.getStatus().ready());
            });

            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + operator.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("pnp_profiles 1.0").contains("pnp_profiles_ready 1.0")
                    .contains("pnp_devices_stalled 0.0")
                    .containsPattern("operator_sdk_controllers_execution_reconcile_failure_total\\{[^}]*controller=\"pnpprofile\"[^}]*} 1\\.0");
        }
    }
}
