package io.pnpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.crds.PnpApi;
import io.pnpoperator.testcluster.WithCluster;
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

        assertThat(CrdUpgrade.run(client)).extracting(CrdUpgrade.Outcome::action)
                .containsExactly(CrdUpgrade.Action.REPLACED, CrdUpgrade.Action.REPLACED);
        CustomResourceDefinition upgraded = crd("pnpdevices.pnp.pnpoperator.io");
        assertThat(upgraded.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName).contains("READY");
        assertThat(upgraded.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties()
                .get("status").getXKubernetesValidations()).hasSize(3);
        assertThat(upgraded.getMetadata().getAnnotations()).containsKey(CrdUpgrade.DEFINITION_SHA256);

        String version = upgraded.getMetadata().getResourceVersion();
        assertThat(CrdUpgrade.run(client)).as("current: nothing to do").extracting(CrdUpgrade.Outcome::action)
                .containsOnly(CrdUpgrade.Action.CURRENT);
        assertThat(crd("pnpdevices.pnp.pnpoperator.io").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void missingCrdsAreLeftToHelm() {
        client.apiextensions().v1().customResourceDefinitions().withName("pnpprofiles.pnp.pnpoperator.io").delete();
        // Gone once the API server has deleted every PnpProfile of the cluster.
        client.apiextensions().v1().customResourceDefinitions().withName("pnpprofiles.pnp.pnpoperator.io")
                .waitUntilCondition(java.util.Objects::isNull, 60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(CrdUpgrade.run(client)).extracting(CrdUpgrade.Outcome::crd, CrdUpgrade.Outcome::action)
                .contains(tuple("pnpprofiles.pnp.pnpoperator.io", CrdUpgrade.Action.MISSING));
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("pnpprofiles.pnp.pnpoperator.io")
                .get()).isNull();
    }

    /**
     * A CRD of a later schema revision, as a newer release in another namespace (or the new pods of a rollout) left
     * it: this operator leaves it alone, and says why.
     */
    @Test
    void aNewerCrdIsLeftAsItIs() {
        CustomResourceDefinition newer = crd("pnpdevices.pnp.pnpoperator.io");
        newer.getMetadata().getAnnotations().put(PnpApi.SCHEMA_REVISION_ANNOTATION,
                Integer.toString(PnpApi.SCHEMA_REVISION + 1));
        newer.getSpec().getVersions().get(0).getAdditionalPrinterColumns().removeIf(c -> c.getName().equals("READY"));
        String version = client.resource(newer).update().getMetadata().getResourceVersion();

        assertThat(CrdUpgrade.run(client)).filteredOn(o -> o.crd().equals("pnpdevices.pnp.pnpoperator.io"))
                .singleElement().satisfies(o -> {
                    assertThat(o.action()).isEqualTo(CrdUpgrade.Action.LEFT_NEWER);
                    assertThat(o.why()).isEqualTo("left as it is: its schema revision " + (PnpApi.SCHEMA_REVISION + 1)
                            + " is later than this operator's " + PnpApi.SCHEMA_REVISION
                            + " (a newer release runs in this cluster)");
                });
        assertThat(crd("pnpdevices.pnp.pnpoperator.io").getMetadata().getResourceVersion()).as("not written")
                .isEqualTo(version);
    }

    private CustomResourceDefinition crd(String name) {
        return client.apiextensions().v1().customResourceDefinitions().withName(name).get();
    }
}
