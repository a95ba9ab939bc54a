package io.pnpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.WithCluster;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cluster whose CRDs are older than the operator, as after a {@code helm upgrade} (Helm never upgrades a
 * chart's CRDs): the operator brings them to its own definition when it starts, and leaves current ones alone.
 */
@WithCluster
class CrdUpgradeTest {

    KubernetesClient client;

    @Test
    void anOlderCrdIsBroughtToTheOperatorsDefinitionAndACurrentOneLeftAlone() {
        CustomResourceDefinition old = crd("pnpdevices.pnp.pnpoperator.io");
        old.getSpec().getVersions().get(0).getAdditionalPrinterColumns().removeIf(c -> c.getName().equals("READY"));
        old.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("status")
                .setXKubernetesValidations(null);
        client.resource(old).update();

        assertThat(CrdUpgrade.run(client)).containsExactly("pnpdevices.pnp.pnpoperator.io",
                "pnpprofiles.pnp.pnpoperator.io");
        CustomResourceDefinition upgraded = crd("pnpdevices.pnp.pnpoperator.io");
        assertThat(upgraded.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName).contains("READY");
        assertThat(upgraded.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
                .get("status").getXKubernetesValidations()).hasSize(3);
        assertThat(upgraded.getMetadata().getAnnotations()).containsKey(CrdUpgrade.DEFINITION_SHA256);

        String version = upgraded.getMetadata().getResourceVersion();
        assertThat(CrdUpgrade.run(client)).as("current: nothing to do").isEmpty();
        assertThat(crd("pnpdevices.pnp.pnpoperator.io").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void missingCrdsAreLeftToHelm() {
        client.apiextensions().v1().customResourceDefinitions().withName("pnpprofiles.pnp.pnpoperator.io").delete();
        // Gone once the API server has deleted every PnpProfile of the cluster.
        client.apiextensions().v1().customResourceDefinitions().withName("pnpprofiles.pnp.pnpoperator.io")
                .waitUntilCondition(java.util.Objects::isNull, 60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(CrdUpgrade.run(client)).isEqualTo(List.of("pnpdevices.pnp.pnpoperator.io"));
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("pnpprofiles.pnp.pnpoperator.io")
                .get()).isNull();
    }

    private CustomResourceDefinition crd(String name) {
        return client.apiextensions().v1().customResourceDefinitions().withName(name).get();
    }
}
