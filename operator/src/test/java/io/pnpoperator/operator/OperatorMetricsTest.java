package io.pnpoperator.operator;

import static io.pnpoperator.operator.TestProfiles.awaitProfile;
import static io.pnpoperator.operator.TestProfiles.awaitTrue;
import static io.pnpoperator.operator.TestProfiles.condition;
import static io.pnpoperator.operator.TestProfiles.profile;
import static io.pnpoperator.operator.TestProfiles.startOperator;
import static io.pnpoperator.operator.TestProfiles.templates;
import static io.pnpoperator.operator.TestProfiles.volume;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.Quota;
import io.pnpoperator.testcluster.WithCluster;
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
 * The operator's metrics after the API server refused it: a namespace quota on ConfigMaps (enforced by the API
 * server's ResourceQuota admission, its usage kept by the controller manager) refuses the profile's ConfigMap; the
 * failed reconcile is counted, the profile says why, and once the quota is lifted the retry makes it ready. The exposition is kept in target/ for the chart's tests (promtool, the
 * dashboard's and the alerts' metric names).
 */
@WithCluster
class OperatorMetricsTest {

    KubernetesClient client;
    @TempDir
    Path volume;

    @Test
    void aFailedReconcileIsCountedAndRetried() throws Exception {
        volume(volume, true);
        templates(client, client.getNamespace(), Map.of("default.cfg", "hostname ${hostname}\n"));
        Quota quota = Quota.noRoomForConfigMaps(client);
        try (PnpOperator operator = startOperator(client, volume)) {
            client.resource(profile("isr1k", "", "default.cfg")).create();
            PnpProfile refused = awaitProfile(client, "isr1k", p -> p.getStatus().conditions() != null
                    && condition(p, "Ready").getReason().equals("ReconcileError"));
            assertThat(condition(refused, "Ready").getMessage()).contains("exceeded quota: no-room-for-configmaps");
            awaitTrue(() -> metrics(operator).matches("(?s).*operator_sdk_controllers_execution_reconcile_failure_total"
                    + "\\{[^}]*controller=\"pnpprofile\"[^}]*} [1-9].*"));

            quota.close();
            awaitProfile(client, "isr1k", p -> Boolean.TRUE.equals(p.getStatus().ready()));
            assertThat(metrics(operator)).contains("pnp_profiles 1.0").contains("pnp_profiles_ready 1.0")
                    .contains("pnp_devices_stalled 0.0");
        }
    }

    private static String metrics(PnpOperator operator) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + operator.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
