package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.testcluster.WithCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart installed as under OpenShift's restricted SCC — user, group and fsGroup left to the platform — into a
 * namespace that enforces Kubernetes' Pod Security "restricted" level, the admission the real API server runs on
 * every pod: the controller manager's ReplicaSet and Job controllers create the Deployments' pods and a download
 * Job's pod, and each is admitted (no kubelet runs them: they stay Pending) without an id of the chart's.
 */
@WithCluster
class RestrictedPodsTest {

    static final Map<String, Object> IDS_LEFT_TO_THE_PLATFORM = Map.of("podSecurityContext.runAsUser", "null",
            "podSecurityContext.runAsGroup", "null", "podSecurityContext.fsGroup", "null");

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
    void everyPodIsAdmittedUnderRestrictedPodSecurityWithIdsLeftToThePlatform() throws Exception {
        client.namespaces().withName(client.getNamespace()).edit(n -> {
            n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", "restricted");
            return n;
        });
        assertThatThrownBy(() -> client.resource(new PodBuilder().withNewMetadata().withName("as-root").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build())
                .create()).as("the namespace enforces the restricted level").hasMessageContaining("violates PodSecurity");
        chart = new InstalledChart(cluster, client, work, IDS_LEFT_TO_THE_PLATFORM);
        awaitPods("the endpoints' two and the operator's", p -> p.getMetadata().getLabels()
                .containsKey("app.kubernetes.io/component") && p.getMetadata().getOwnerReferences().stream()
                .anyMatch(o -> o.getKind().equals("ReplicaSet")), 3);

        // The operator, as its Deployment runs it, makes a download Job for the example's image URL.
        Path volume = chart.artifacts(InstalledChart.IMAGE);
        Files.delete(volume.resolve("images").resolve(InstalledChart.IMAGE));
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("isr1k-configs").endMetadata()
                .addToData("default.cfg", "hostname {{hostname}}\n").build()).create();
        chart.startOperator(Map.of("PNP_ARTIFACTS_DIR", volume.toString(),
                "PNP_HTTP_PORT", Integer.toString(InstalledChart.freePort())));
        cluster.kubectl().inNamespace(client.getNamespace()).said("apply", "-f",
                "../crds/examples/pnpprofile-isr1k-download.yaml");
        awaitPods("a download Job's", p -> p.getMetadata().getLabels().containsKey("job-name"), 1);

        for (Pod pod : client.pods().list().getItems()) {
            PodSecurityContext ids = pod.getSpec().getSecurityContext();
            assertThat(ids.getRunAsNonRoot()).as(pod.getMetadata().getName()).isTrue();
            assertThat(List.of(String.valueOf(ids.getRunAsUser()), String.valueOf(ids.getRunAsGroup()),
                    String.valueOf(ids.getFsGroup()))).as(pod.getMetadata().getName() + ": ids the platform's")
                    .containsOnly("null");
        }
    }

    /** Waits for {@code count} pods that {@code which} picks; on a timeout says what the controllers met. */
    private void awaitPods(String what, java.util.function.Predicate<Pod> which, int count) throws Exception {
        Instant until = Instant.now().plusSeconds(90);
        while (client.pods().list().getItems().stream().filter(which).count() < count) {
            if (Instant.now().isAfter(until)) {
                String refusals = client.v1().events().list().getItems().stream()
                        .filter(e -> "FailedCreate".equals(e.getReason())).map(e -> e.getMessage())
                        .collect(Collectors.joining("\n"));
                throw new AssertionError(what + " pods not admitted in 90 s: " + refusals + chart.logs());
            }
            Thread.sleep(200);
        }
    }
}
