package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.apiserver.StrictApiServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Helm (helm-java) installing and upgrading the chart on the strict test API server: the install
 * creates the CRDs and the release's objects; an upgrade changes the objects but — as Helm always does — leaves the
 * CRDs as they were, which is why the operator brings them up to date at start (CrdUpgradeTest); the NOTES say so.
 */
class HelmUpgradeTest {

    @TempDir
    Path work;
    StrictApiServer cluster;
    KubernetesClient client;
    Path kubeconfig;

    @BeforeEach
    void cluster() {
        cluster = StrictApiServer.running();
        client = cluster.createClient();
        kubeconfig = cluster.kubeconfig(work.resolve("kubeconfig"), Chart.NAMESPACE);
    }

    @AfterEach
    void stop() {
        client.close();
        cluster.destroy();
    }

    @Test
    void anUpgradeChangesTheReleaseAndLeavesTheCrdsToTheOperator() {
        // The test server has no OpenAPI schemas for Helm to validate against; it validates each write itself.
        Release installed = new Helm(Chart.DIR).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .withKubeConfig(kubeconfig).disableOpenApiValidation().call();
        assertThat(installed.getStatus()).isEqualTo("deployed");
        assertThat(crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName).contains("READY");
        assertThat(client.apps().deployments().inNamespace(Chart.NAMESPACE).withName("pnp-pnp-endpoint").get()
                .getSpec().getReplicas()).isEqualTo(2);

        // The CRD as an older chart left it.
        CustomResourceDefinition older = crd();
        older.getSpec().getVersions().get(0).getAdditionalPrinterColumns().removeIf(c -> c.getName().equals("READY"));
        client.resource(older).update();

        Release upgraded = new Helm(Chart.DIR).upgrade().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .withKubeConfig(kubeconfig).disableOpenApiValidation().set("endpoint.replicas", 3).call();
        assertThat(upgraded.getRevision()).isEqualTo("2");
        assertThat(upgraded.getStatus()).isEqualTo("deployed");
        assertThat(client.apps().deployments().inNamespace(Chart.NAMESPACE).withName("pnp-pnp-endpoint").get()
                .getSpec().getReplicas()).isEqualTo(3);
        assertThat(crd().getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName).as("helm upgrade leaves CRDs as they were")
                .doesNotContain("READY");
        assertThat(upgraded.getOutput()).contains("the operator brings them to this chart's");
    }

    private CustomResourceDefinition crd() {
        return client.apiextensions().v1().customResourceDefinitions().withName("pnpdevices.pnp.pnpoperator.io").get();
    }
}
