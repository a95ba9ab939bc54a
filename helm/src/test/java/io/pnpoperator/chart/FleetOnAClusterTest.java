package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceSpec;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.testcluster.Quota;
import io.pnpoperator.testcluster.WithCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole thing, as the chart installs it, on the real control plane ({@link InstalledChart}): the packaged
 * operator and endpoint under the chart's RBAC, a profile declared with nothing in its status, and simulated routers
 * calling. Nobody sets a status by hand: the operator makes the profile ready, the endpoint provisions the routers
 * from it. A namespace quota makes the API server refuse the operator's first ConfigMap: counted and retried.
 */
@WithCluster
class FleetOnAClusterTest {

    @TempDir
    Path work;
    ControlPlane cluster;
    KubernetesClient client;
    InstalledChart chart;

    @BeforeEach
    void install() {
        chart = new InstalledChart(cluster, client, work, Map.of());
    }

    @AfterEach
    void stop() {
        chart.close();
    }

    @Test
    void routersAreProvisionedWithTheProfileTheOperatorMadeReady() throws Exception {
        Path volume = chart.artifacts(InstalledChart.IMAGE);
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("isr1k-configs").endMetadata()
                .addToData("default.cfg", Files.readString(Path.of("../configs/default.cfg"))).build()).create();

        int devicePort = InstalledChart.freePort();
        int adminPort = InstalledChart.freePort();
        int operatorPort = InstalledChart.freePort();
        Quota quota = Quota.noRoomForConfigMaps(client);
        // The client's own retries would hide from the operator the refusal made on purpose above; without them the
        // reconciler meets it, counts it and retries, which is what is checked.
        chart.startOperator(Map.of("PNP_ARTIFACTS_DIR", volume.toString(), "PNP_HTTP_PORT",
                Integer.toString(operatorPort), "KUBERNETES_REQUEST_RETRY_BACKOFFLIMIT", "0"));
        // The chart's default, artifacts.mode mirrored: the endpoint fills a folder of its own from the operator.
        chart.startEndpoint(Map.of("PNP_ARTIFACTS_DIR", Files.createDirectories(work.resolve("endpoint-copy"))
                .toString(), "PNP_ARTIFACTSSOURCE", "http://127.0.0.1:" + operatorPort + "/artifacts/",
                "PNP_DEVICE_PORT", Integer.toString(devicePort), "PNP_ADMIN_PORT", Integer.toString(adminPort)));

        client.resource(client.getKubernetesSerialization().unmarshal(PROFILE, PnpProfile.class)).create();
        // The chart's claim mode: the routers expected are registered ahead, each with its profile.
        for (String serial : List.of("FGL00001", "FGL00002", "FGL00003", "BAD00001")) {
            PnpDevice expected = new PnpDevice();
            expected.setMetadata(new ObjectMetaBuilder().withName(serial.toLowerCase()).build());
            expected.setSpec(new PnpDeviceSpec(serial, "default", null, null));
            client.resource(expected).create();
        }
        await(p -> p.getStatus().conditions() != null && p.getStatus().conditions().stream().anyMatch(c ->
                c.getType().equals("Ready") && c.getReason().equals("ReconcileError")
                        && c.getMessage().contains("exceeded quota")));
        quota.close();
        PnpProfile ready = await(p -> Boolean.TRUE.equals(p.getStatus().ready()));
        assertThat(ready.getStatus().configMap()).isEqualTo("pnpprofile-default");

        chart.awaitReady(URI.create("http://127.0.0.1:" + adminPort + "/actuator/health/readiness"));

        String said = routers(devicePort, "--devices", "3", "--serial-prefix", "FGL");
        assertThat(said).containsPattern("devices finished: +3 of 3").containsPattern("refused by routers: 0 ");
        // One more whose image copies arrive damaged: it fails its step three times and ends Failed.
        assertThat(routers(devicePort, "--devices", "1", "--serial-prefix", "BAD", "--misbehave", "checksum"))
                .containsPattern("devices finished: +0 of 1");

        List<PnpDevice> devices = client.resources(PnpDevice.class).list().getItems().stream()
                .filter(d -> d.getSpec().serialNumber().startsWith("FGL")).toList();
        assertThat(devices).hasSize(3).allSatisfy(device -> {
            assertThat(device.getStatus().phase()).isEqualTo(DevicePhase.PROVISIONED);
            // Upgraded, configured, script run: the steps this profile asks for (no guestshell package to copy).
            assertThat(device.getStatus().history()).extracting(PnpDeviceStatus.HistoryEntry::to)
                    .contains(DeviceStep.UPGRADE_RELOADING, DeviceStep.CONFIG_START, DeviceStep.RUN_PY_SCRIPT)
                    .doesNotContain(DeviceStep.GS_TARBALL_TRANSFER).last().isEqualTo(DeviceStep.FINISHED);
            assertThat(device.getStatus().observed().version()).as("as the router reports it, bare").isEqualTo("17.14.1a");
            assertThat(device.getSpec().profile()).isEqualTo("default");
        });
        await(p -> Map.of("Provisioned", 3L, "Failed", 1L).equals(p.getStatus().devices()));

        // What Prometheus scrapes from both, after that fleet, passes promtool and has what the dashboard and alerts ask.
        String endpointMetrics = get(URI.create("http://127.0.0.1:" + adminPort + "/actuator/prometheus"));
        String operatorMetrics = get(URI.create("http://127.0.0.1:" + operatorPort + "/metrics"));
        assertThat(endpointMetrics).contains("pnp_step_failures_total{application=\"pnp-endpoint\",step=\"UPGRADE_INPROGRESS\"} 3.0");
        assertThat(operatorMetrics).containsPattern(
                "operator_sdk_controllers_execution_reconcile_failure_total\\{[^}]*controller=\"pnpprofile\"[^}]*} [1-9]");
        Expositions.assertPromtoolAccepts("endpoint", endpointMetrics);
        Expositions.assertPromtoolAccepts("operator", operatorMetrics);
        Expositions.assertDashboardAndAlertsQueryOnly(List.of(endpointMetrics, operatorMetrics));
    }

    /** Runs the packaged simulator against the endpoint; what it printed. */
    private String routers(int devicePort, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("java", "-jar", "../device-sim/target/pnp-device-sim.jar",
                "--server", "http://127.0.0.1:" + devicePort, "--speed", "1000", "--timeout", "120"));
        command.addAll(List.of(options));
        Process routers = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(routers.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        routers.waitFor();
        return said + chart.logs();
    }

    private static String get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    static final String PROFILE = """
            apiVersion: pnp.pnpoperator.io/v1alpha1
            kind: PnpProfile
            metadata:
              name: default
            spec:
              configRegister: "0x2102"
              image:
                file: %s
                version: 17.14.01a
                md5: ""
              config:
                template: default.cfg
                configMap: isr1k-configs
              files:
                - name: pxs.py
                  destination: "bootflash:guest-share/"
              guestshell:
                enabled: true
                script: pxs.py
                eemApplet: InstallGuestShell
                minFreeBytes: 0
            """.formatted(InstalledChart.IMAGE);

    /** The profile "default", once it satisfies {@code condition}. */
    private PnpProfile await(Predicate<PnpProfile> condition) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(until)) {
            PnpProfile found = client.resources(PnpProfile.class).withName("default").get();
            if (found != null && found.getStatus() != null && condition.test(found)) {
                return found;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the profile never got there: " + client.resources(PnpProfile.class)
                .withName("default").get() + chart.logs());
    }


}
