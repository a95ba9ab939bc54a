package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.testcluster.WithCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Helm (helm-java) installing and upgrading the chart on the real control plane, with its OpenAPI
 * validation: the install creates the CRDs and the release's objects; an upgrade changes the objects but — as Helm
 * always does — leaves the CRDs as they were, which is why the operator brings them up to date at start
 * (CrdUpgradeTest); the NOTES say so.
 */
@WithCluster
class HelmUpgradeTest {

    @TempDir
    Path work;
    ControlPlane cluster;
    KubernetesClient client;

    @Test
    void anUpgradeChangesTheReleaseAndLeavesTheCrdsToTheOperator() {
        InstalledChart installed = new InstalledChart(cluster, client, work, Map.of());
        assertThat(installed.release.getStatus()).isEqualTo("deployed");
        assertThat(crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName).contains("READY");
        assertThat(client.apps().deployments().withName("pnp-pnp-endpoint").get().getSpec().getReplicas()).isEqualTo(2);

        // The install slots the endpoint wrote into the chart's Lease.
        client.leases().withName("pnp-pnp-install-slots").edit(l -> {
            l.getMetadata().setAnnotations(Map.of("pnp.pnpoperator.io/install-slots", "{\"isr1k\":{\"FGL1\":\"now\"}}"));
            return l;
        });
        // The CRD as an older chart left it.
        CustomResourceDefinition older = crd();
        older.getSpec().getVersions().get(0).getAdditionalPrinterColumns().removeIf(c -> c.getName().equals("READY"));
        client.resource(older).update();

        Release upgraded = new Helm(Chart.DIR).upgrade().withName(Chart.RELEASE).withNamespace(client.getNamespace())
                .withKubeConfig(cluster.adminKubeconfig()).set("endpoint.replicas", 3).call();
        assertThat(upgraded.getRevision()).isEqualTo("2");
        assertThat(upgraded.getStatus()).isEqualTo("deployed");
        assertThat(client.apps().deployments().withName("pnp-pnp-endpoint").get().getSpec().getReplicas()).isEqualTo(3);
        assertThat(crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName).as("helm upgrade leaves CRDs as they were")
                .doesNotContain("READY");
        assertThat(upgraded.getOutput()).contains("the operator brings them forward to this");
        assertThat(client.leases().withName("pnp-pnp-install-slots").get().getMetadata().getAnnotations())
                .as("the slots held during the upgrade").containsKey("pnp.pnpoperator.io/install-slots");
    }

    private CustomResourceDefinition crd() {
        return client.apiextensions().v1().customResourceDefinitions().withName("pnpdevices.pnp.pnpoperator.io").get();
    }
}
