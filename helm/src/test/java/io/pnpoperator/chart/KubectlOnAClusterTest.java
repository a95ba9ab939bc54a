package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.testcluster.Kubectl;
import io.pnpoperator.testcluster.WithCluster;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import io.pnpoperator.sim.Stats;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a cluster user does, with kubectl of the control plane's own release, against the packaged operator and
 * endpoint running under the chart's RBAC ({@link InstalledChart}): apply the CRDs and the examples server-side,
 * watch a router get blocked for bootflash, see it in {@code get}, {@code get -w} and {@code describe}, unblock it with
 * a status patch (after a refused one), wait for it to be Ready, and edit a profile as a second field manager. What
 * kubectl printed is in the test's output; the README and docs/kubectl.md show it.
 */
@WithCluster
class KubectlOnAClusterTest {

    @TempDir
    Path work;
    ControlPlane cluster;
    KubernetesClient client;
    InstalledChart chart;
    Kubectl kubectl;

    @BeforeEach
    void install() {
        chart = new InstalledChart(cluster, client, work, Map.of());
        kubectl = cluster.kubectl().inNamespace(client.getNamespace());
    }

    @AfterEach
    void stop() {
        chart.close();
    }

    @Test
    void aBlockedRouterIsSeenUnblockedAndAwaitedWithKubectl() throws Exception {
        // --force-conflicts: the CRDs were written by another field manager before (Helm, the operator), as the
        // NOTES and docs/kubernetes.md say for applying them by hand.
        assertThat(kubectl.said("apply", "--server-side", "--force-conflicts", "-f", "../crds/", "-f", "../crds/examples/"))
                .contains(
                "customresourcedefinition.apiextensions.k8s.io/pnpdevices.pnp.pnpoperator.io serverside-applied",
                "pnpdevice.pnp.pnpoperator.io/fgl2548l0aw serverside-applied",
                "pnpprofile.pnp.pnpoperator.io/isr1k serverside-applied");
        Files.writeString(work.resolve("isr1k-configs.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                + "  name: isr1k-configs\ndata:\n  default.cfg: |\n" + Files.readString(Path.of("../configs/default.cfg"))
                .lines().map(l -> "    " + l + "\n").reduce("", String::concat));
        kubectl.said("apply", "-f", work.resolve("isr1k-configs.yaml").toString());
        // The artifacts volume the isr1k example names: the image, the guestshell package and the script.
        Path volume = chart.artifacts(InstalledChart.IMAGE, "guestshell.17.09.01a.tar");
        int devicePort = InstalledChart.freePort();
        int adminPort = InstalledChart.freePort();
        int operatorPort = InstalledChart.freePort();
        chart.startOperator(Map.of("PNP_ARTIFACTS_DIR", volume.toString(), "PNP_HTTP_PORT",
                Integer.toString(operatorPort)));
        chart.startEndpoint(Map.of("PNP_ARTIFACTS_DIR", Files.createDirectories(work.resolve("endpoint-copy"))
                .toString(), "PNP_ARTIFACTSSOURCE", "http://127.0.0.1:" + operatorPort + "/artifacts/",
                "PNP_DEVICE_PORT", Integer.toString(devicePort), "PNP_ADMIN_PORT", Integer.toString(adminPort)));
        assertThat(kubectl.said("wait", "--for=condition=Ready", "pnpprofile/isr1k", "--timeout=90s"))
                .isEqualTo("pnpprofile.pnp.pnpoperator.io/isr1k condition met\n");
        chart.awaitReady(URI.create("http://127.0.0.1:" + adminPort + "/actuator/health/readiness"));
        Path watched = work.resolve("get-w.txt");
        Process watch = kubectl.start(watched, "get", "pnpdevice", "fgl2548l0aw", "-w");

        // The router registered by the example arrives with too little bootflash for the guestshell.
        DeviceOptions low = DeviceOptions.defaults().withSpeed(1000).withBootflashFree(500_000_000L);
        PnpAgent router = new PnpAgent(URI.create("http://127.0.0.1:" + devicePort), new SimulatedRouter("FGL2548L0AW",
                low), low, HttpClient.newHttpClient(), new Stats());
        CompletableFuture<PnpAgent.Result> running = CompletableFuture.supplyAsync(() -> {
            try {
                return router.run(Instant.now().plusSeconds(180));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        kubectl.said("wait", "--for=jsonpath={.status.step}=BOOTFLASH_NO_SPACE", "pnpdevice/fgl2548l0aw", "--timeout=90s");

        assertThat(kubectl.said("get", "pnpdevices")).matches("""
                NAME          SERIAL        PROFILE   READY   PHASE     STEP                 AGE
                fgl2548l0aw   FGL2548L0AW   isr1k     False   Blocked   BOOTFLASH_NO_SPACE   \\d+s
                """);
        assertThat(kubectl.said("get", "pnpdev", "-o", "wide")).matches("""
                NAME          SERIAL        PROFILE   READY   PHASE     STEP                 PID          VERSION    \
                LAST-CONTACT   AGE
                fgl2548l0aw   FGL2548L0AW   isr1k     False   Blocked   BOOTFLASH_NO_SPACE   C1131-8PWB   17.14.1a   \
                \\d+s +\\d+s
                """);
        assertThat(kubectl.said("get", "pnpprofiles")).matches("""
                NAME             READY   IMAGE       AGE
                isr1k            True    17.14.01a   \\d+s
                isr1k-download   False   17.14.01a   \\d+s
                """);

        Kubectl.Result refused = kubectl.run("patch", "pnpdevice", "fgl2548l0aw", "--subresource=status", "--type=merge",
                "-p", "{\"status\":{\"step\":\"FINISHED\"}}");
        System.out.println("$ kubectl patch pnpdevice fgl2548l0aw --subresource=status --type=merge -p "
                + "'{\"status\":{\"step\":\"FINISHED\"}}'\n" + refused.err());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).isEqualTo("The PnpDevice \"fgl2548l0aw\" is invalid: status.step: Invalid value: "
                + "FINISHED is reached by the router running its script; to stop provisioning a router, set "
                + "spec.paused\n");
        assertThat(kubectl.said("patch", "pnpdevice", "fgl2548l0aw", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"step\":\"RUN_EVENT_MANAGER\"}}")).isEqualTo("pnpdevice.pnp.pnpoperator.io/fgl2548l0aw patched\n");

        assertThat(kubectl.said("wait", "--for=condition=Ready", "pnpdevice/fgl2548l0aw", "--timeout=120s"))
                .isEqualTo("pnpdevice.pnp.pnpoperator.io/fgl2548l0aw condition met\n");
        assertThat(running.get(120, TimeUnit.SECONDS).finished()).isTrue();
        String described = kubectl.said("describe", "pnpdevice", "fgl2548l0aw");
        assertThat(described).containsPattern("\n  Phase: +Provisioned\n").containsPattern("\n  Step: +FINISHED\n")
                .containsPattern("Normal +MovedByOperator +\\d+s +pnp-endpoint +BOOTFLASH_NO_SPACE → RUN_EVENT_MANAGER "
                        + "\\(operator kubectl-patch\\)")
                .containsPattern("Normal +Step +\\d+s \\(x\\d+ over \\d+s\\) +pnp-endpoint +RUN_PY_SCRIPT → FINISHED "
                        + "\\(cli-exec success\\)")
                .containsPattern("Warning +Stalled +\\d+s +pnp-operator +bootflash has \\d+ bytes free; free space");
        assertThat(kubectl.said("get", "pnpdevices")).contains("fgl2548l0aw   FGL2548L0AW   isr1k     True    Provisioned   "
                + "FINISHED");
        // kubectl get -w, started before the router called, followed it to FINISHED: a line for each change.
        awaitLine(watched, "Provisioned +FINISHED");
        watch.destroy();
        String followed = Files.readString(watched);
        System.out.println("$ kubectl get pnpdevice fgl2548l0aw -w\n" + followed);
        assertThat(followed.lines().toList()).first().asString().startsWith("NAME          SERIAL");
        assertThat(followed).containsPattern("Blocked +BOOTFLASH_NO_SPACE").containsPattern("Provisioning +RUN_EVENT_MANAGER");

        // A second field manager (a GitOps tool, say) changing what kubectl applied: a conflict until it forces.
        String changed = Files.readString(Path.of("../crds/examples/pnpprofile-isr1k.yaml"))
                .replace("configRegister: \"0x2102\"", "configRegister: \"0x2142\"");
        Kubectl.Result conflict = kubectl.runWithInput(changed, "apply", "--server-side", "--field-manager=gitops",
                "-f", "-");
        System.out.println("$ kubectl apply --server-side --field-manager=gitops -f -\n" + conflict.err());
        assertThat(conflict.exitCode()).isEqualTo(1);
        assertThat(conflict.err()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.configRegister");
        assertThat(kubectl.runWithInput(changed, "apply", "--server-side", "--field-manager=gitops", "--force-conflicts",
                "-f", "-").ok()).isEqualTo("pnpprofile.pnp.pnpoperator.io/isr1k serverside-applied\n");
        assertThat(kubectl.said("get", "pnpprofile", "isr1k", "-o", "jsonpath={.spec.configRegister}")).isEqualTo("0x2142");
    }

    /** Until {@code file} has a line matching {@code pattern}. */
    private static void awaitLine(Path file, String pattern) throws Exception {
        Instant until = Instant.now().plusSeconds(30);
        while (Files.readString(file).lines().noneMatch(l -> l.matches(".*" + pattern + ".*"))) {
            assertThat(Instant.now()).as("kubectl get -w printed " + pattern + ":\n" + Files.readString(file))
                    .isBefore(until);
            Thread.sleep(100);
        }
    }

}
