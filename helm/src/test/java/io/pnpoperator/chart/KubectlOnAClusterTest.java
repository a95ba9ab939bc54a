package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pnpoperator.apiserver.Kubectl;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import io.pnpoperator.sim.Stats;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a cluster user does, with the real kubectl (v1.33), against the packaged operator and endpoint on a
 * {@link SimulatedCluster}: apply the CRDs and the examples, watch a router get blocked for bootflash, see it in
 * {@code get} and {@code describe}, unblock it with a status patch (after a refused one), and wait for it to be
 * Ready. What kubectl printed is in the test's output; the README and docs/kubectl.md show it.
 */
class KubectlOnAClusterTest {

    static final String IMAGE = "c1100-universalk9.17.14.01a.SPA.bin";

    @TempDir
    Path work;
    SimulatedCluster cluster;
    Kubectl kubectl;

    @BeforeEach
    void cluster() {
        cluster = new SimulatedCluster(work);
        kubectl = new Kubectl(cluster.api, work, SimulatedCluster.NS);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void aBlockedRouterIsSeenUnblockedAndAwaitedWithKubectl() throws Exception {
        // The CRDs first: as on a real cluster, kubectl cannot map the examples' kinds in the same command.
        assertThat(said("apply", "-f", "../crds/")).contains(
                "customresourcedefinition.apiextensions.k8s.io/pnpdevices.pnp.pnpoperator.io created");
        assertThat(said("apply", "-f", "../crds/examples/")).contains("pnpdevice.pnp.pnpoperator.io/fgl2548l0aw created",
                "pnpprofile.pnp.pnpoperator.io/isr1k created");
        Files.writeString(work.resolve("isr1k-configs.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
                + "  name: isr1k-configs\ndata:\n  default.cfg: |\n" + Files.readString(Path.of("../configs/default.cfg"))
                .lines().map(l -> "    " + l + "\n").reduce("", String::concat));
        said("apply", "-f", work.resolve("isr1k-configs.yaml").toString());
        // The artifacts volume the isr1k example names: the image, the guestshell package and the script.
        Path volume = cluster.artifacts(IMAGE, "guestshell.17.09.01a.tar");
        int devicePort = SimulatedCluster.freePort();
        int adminPort = SimulatedCluster.freePort();
        List<HasMetadata> chart = Chart.render(Map.of());
        int operatorPort = SimulatedCluster.freePort();
        cluster.startOperator(chart, Map.of("PNP_ARTIFACTS_DIR", volume.toString(), "PNP_HTTP_PORT",
                Integer.toString(operatorPort)));
        cluster.startEndpoint(chart, Map.of("PNP_ARTIFACTS_DIR", Files.createDirectories(work.resolve("endpoint-copy"))
                .toString(), "PNP_ARTIFACTSSOURCE", "http://127.0.0.1:" + operatorPort + "/artifacts/",
                "PNP_DEVICE_PORT", Integer.toString(devicePort), "PNP_ADMIN_PORT", Integer.toString(adminPort)));
        assertThat(said("wait", "--for=condition=Ready", "pnpprofile/isr1k", "--timeout=90s"))
                .isEqualTo("pnpprofile.pnp.pnpoperator.io/isr1k condition met\n");
        cluster.awaitReady(URI.create("http://127.0.0.1:" + adminPort + "/actuator/health/readiness"));

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
        said("wait", "--for=jsonpath={.status.step}=BOOTFLASH_NO_SPACE", "pnpdevice/fgl2548l0aw", "--timeout=90s");

        assertThat(said("get", "pnpdevices")).matches("""
                NAME          SERIAL        PROFILE   READY   PHASE     STEP                 AGE
                fgl2548l0aw   FGL2548L0AW   isr1k     False   Blocked   BOOTFLASH_NO_SPACE   \\d+s
                """);
        assertThat(said("get", "pnpdev", "-o", "wide")).matches("""
                NAME          SERIAL        PROFILE   READY   PHASE     STEP                 PID          VERSION    \
                LAST-CONTACT   AGE
                fgl2548l0aw   FGL2548L0AW   isr1k     False   Blocked   BOOTFLASH_NO_SPACE   C1131-8PWB   17.14.1a   \
                \\d+s +\\d+s
                """);
        assertThat(said("get", "pnpprofiles")).matches("""
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
                + "\"object\": FINISHED is reached by the router running its script; to stop provisioning a router, set "
                + "spec.paused\n");
        assertThat(said("patch", "pnpdevice", "fgl2548l0aw", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"step\":\"RUN_EVENT_MANAGER\"}}")).isEqualTo("pnpdevice.pnp.pnpoperator.io/fgl2548l0aw patched\n");

        assertThat(said("wait", "--for=condition=Ready", "pnpdevice/fgl2548l0aw", "--timeout=120s"))
                .isEqualTo("pnpdevice.pnp.pnpoperator.io/fgl2548l0aw condition met\n");
        assertThat(running.get(120, TimeUnit.SECONDS).finished()).isTrue();
        String described = said("describe", "pnpdevice", "fgl2548l0aw");
        assertThat(described).containsPattern("\n  Phase: +Provisioned\n").containsPattern("\n  Step: +FINISHED\n")
                .containsPattern("Normal +MovedByOperator +\\d+s +pnp-endpoint +BOOTFLASH_NO_SPACE → RUN_EVENT_MANAGER "
                        + "\\(operator kubectl-patch\\)")
                .containsPattern("Normal +Step +\\d+s \\(x\\d+ over \\d+s\\) +pnp-endpoint +RUN_PY_SCRIPT → FINISHED "
                        + "\\(cli-exec success\\)")
                .containsPattern("Warning +Stalled +\\d+s +pnp-operator +bootflash has \\d+ bytes free; free space");
        assertThat(said("get", "pnpdevices")).contains("fgl2548l0aw   FGL2548L0AW   isr1k     True    Provisioned   "
                + "FINISHED");
    }

    /** A kubectl command that must succeed; printed with what it printed, as a user would see it. */
    private String said(String... args) {
        String out = kubectl.run(args).ok();
        System.out.println("$ kubectl " + String.join(" ", args) + "\n" + out);
        return out;
    }
}
