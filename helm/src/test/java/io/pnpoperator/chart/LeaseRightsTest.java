package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.testcluster.Kubectl;
import io.pnpoperator.testcluster.WithCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may write which Lease, as the API server's authorizer answers {@code kubectl auth can-i} for the chart's
 * ServiceAccounts: the endpoint may get and update its install-slots Lease and nothing else of Leases, so it can
 * neither take nor make the operator's leader Lease; the operator holds its own.
 */
@WithCluster
class LeaseRightsTest {

    @TempDir
    Path work;
    ControlPlane cluster;
    KubernetesClient client;
    InstalledChart chart;

    @AfterEach
    void uninstall() {
        chart.close();
    }

    @Test
    void theEndpointCannotWriteTheOperatorsLease() {
        chart = new InstalledChart(cluster, client, work, Map.of());
        assertThat(client.leases().withName("pnp-pnp-install-slots").get()).as("made by the chart").isNotNull();

        String endpoint = "system:serviceaccount:" + client.getNamespace() + ":pnp-pnp-endpoint";
        for (String verb : new String[] {"update", "patch", "delete"}) {
            assertThat(canI(endpoint, verb, "leases/pnp-operator")).as(verb + " the operator's Lease").isEqualTo("no");
        }
        assertThat(canI(endpoint, "create", "leases")).as("create a Lease (any name)").isEqualTo("no");
        assertThat(canI(endpoint, "update", "leases/pnp-pnp-install-slots")).isEqualTo("yes");
        assertThat(canI(endpoint, "get", "leases/pnp-pnp-install-slots")).isEqualTo("yes");

        String operator = "system:serviceaccount:" + client.getNamespace() + ":pnp-pnp-operator";
        assertThat(canI(operator, "update", "leases/pnp-operator")).isEqualTo("yes");
        assertThat(canI(operator, "update", "leases/pnp-pnp-install-slots")).as("nor the operator the endpoint's")
                .isEqualTo("no");
    }

    /** What {@code kubectl auth can-i --as} prints: yes or no (its exit code is 1 for no). */
    private String canI(String user, String verb, String resource) {
        Kubectl.Result answer = cluster.kubectl().inNamespace(client.getNamespace())
                .run("auth", "can-i", verb, resource, "--as=" + user);
        assertThat(answer.err()).as("kubectl auth can-i " + verb + " " + resource).isEmpty();
        return answer.out().trim();
    }
}
