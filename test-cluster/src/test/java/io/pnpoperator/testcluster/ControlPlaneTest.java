package io.pnpoperator.testcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the other modules' tests count on from the control plane: the release, RBAC, garbage collection, audit. */
@WithCluster(crds = "none")
class ControlPlaneTest {

    ControlPlane cluster;
    KubernetesClient client;

    @Test
    void theApiServerAndKubectlAreThePinnedRelease() {
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo("v1.37.2");
        assertThat(cluster.kubectl().run("version", "--client", "-o", "yaml").ok()).contains("gitVersion: v1.37.2");
    }

    @Test
    void anObjectWhoseOwnerIsDeletedIsCollected() {
        ConfigMap owner = client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("owner")
                .endMetadata().build()).create();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("owned").addNewOwnerReference()
                .withApiVersion("v1").withKind("ConfigMap").withName("owner").withUid(owner.getMetadata().getUid())
                .endOwnerReference().endMetadata().build()).create();
        client.configMaps().withName("owner").delete();
        client.configMaps().withName("owned").waitUntilCondition(c -> c == null, 60, TimeUnit.SECONDS);
    }

    @Test
    void aServiceAccountMayDoWhatItsRoleGrantsAndNothingElse() throws Exception {
        String ns = client.getNamespace();
        cluster.serviceAccountWithRole(ns, "reader", new PolicyRuleBuilder().withApiGroups("").withResources("configmaps")
                .withVerbs("get", "list").build());
        Path kubeconfig = cluster.serviceAccountKubeconfig(ns, "reader");
        try (KubernetesClient reader = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(java.nio.file.Files.readString(kubeconfig))).build()) {
            assertThat(reader.configMaps().list().getItems()).isNotNull();
            assertThatThrownBy(() -> reader.configMaps().resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("x").endMetadata().build()).create())
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
                    .hasMessageContaining("User \"system:serviceaccount:" + ns + ":reader\" cannot create resource "
                            + "\"configmaps\"");
        }
        assertThat(cluster.kubectl(kubeconfig).run("auth", "can-i", "create", "configmaps").out().strip())
                .isEqualTo("no");
    }

    @Test
    void theAuditLogCountsEachRequestWithItsUser() {
        long mark = cluster.auditLog().mark();
        client.configMaps().resource(new ConfigMapBuilder().withNewMetadata().withName("counted").endMetadata().build())
                .create();
        client.configMaps().withName("counted").get();
        assertThat(cluster.auditLog().since(mark, c -> client.getNamespace().equals(c.namespace()), cluster))
                .extracting(AuditLog.Call::verb, AuditLog.Call::target, AuditLog.Call::code)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("create", "configmaps", 201),
                        org.assertj.core.groups.Tuple.tuple("get", "configmaps", 200));
    }
}
