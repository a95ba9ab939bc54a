package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import io.pnpoperator.sim.Stats;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.testcluster.PreviousRelease;
import io.pnpoperator.testcluster.WithCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A helm upgrade from the previous release (its endpoint and operator built from the commit in
 * tools/previous-release/commit) while routers are mid-workflow: the chart's new Roles are in place, the previous
 * release's programs run under them, the new ones start beside them — two endpoint versions behind one Service,
 * the new operator waiting for the Lease — and then the previous ones stop, as a rolling update does. Every router
 * finishes, every transition is stored once and every piece of work done once, and no program stops by itself.
 */
@WithCluster
class VersionSkewTest {

    static final int ROUTERS = 8;

    @TempDir
    Path work;
    ControlPlane cluster;
    KubernetesClient client;
    InstalledChart chart;
    final ExecutorService routers = Executors.newFixedThreadPool(ROUTERS);

    @AfterEach
    void stop() {
        routers.shutdownNow();
        chart.close();
    }

    @Test
    void routersMidRolloutFinishAcrossAnUpgradeFromThePreviousRelease() throws Exception {
        Path previous = PreviousRelease.jars();
        chart = new InstalledChart(cluster, client, work, Map.of("endpoint.unknownDevices", "register"));
        Path volume = chart.artifacts(InstalledChart.IMAGE);
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("isr1k-configs").endMetadata()
                .addToData("default.cfg", Files.readString(Path.of("../configs/default.cfg"))).build()).create();
        client.resource(client.getKubernetesSerialization().unmarshal(FleetOnAClusterTest.PROFILE, PnpProfile.class))
                .create();

        // Before the upgrade: the previous release's operator and endpoint.
        int oldOperatorPort = InstalledChart.freePort();
        Process oldOperator = chart.start("operator-old", previous.resolve("pnp-operator.jar").toString(),
                "pnp-pnp-operator", Map.of("PNP_ARTIFACTS_DIR", volume.toString(), "PNP_HTTP_PORT",
                        Integer.toString(oldOperatorPort)));
        Endpoint old = endpoint("endpoint-old", previous.resolve("pnp-endpoint.jar").toString(), oldOperatorPort);
        // The upgrade's new pods start beside them: the new operator waits for the Lease, the new endpoint fills
        // its copy of the artifacts from the operator that leads, and is ready.
        Process newOperator = chart.startOperator("operator-new", Map.of("PNP_ARTIFACTS_DIR", volume.toString(),
                "PNP_HTTP_PORT", Integer.toString(InstalledChart.freePort())));
        Endpoint fresh = endpoint("endpoint-new", "../pnp-endpoint/target/pnp-endpoint.jar", oldOperatorPort);

        // Routers call the Service, behind which only the previous endpoint is, until they are mid-workflow.
        List<URI> behindTheService = new CopyOnWriteArrayList<>(List.of(old.devices()));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        DeviceOptions options = DeviceOptions.defaults().withSpeed(100);
        List<PnpAgent> agents = new ArrayList<>();
        List<Future<PnpAgent.Result>> running = new ArrayList<>();
        for (int i = 1; i <= ROUTERS; i++) {
            PnpAgent agent = new PnpAgent(behindTheService, new SimulatedRouter(String.format("FGL0000SK%02d", i),
                    options), options, http, new Stats());
            agents.add(agent);
            running.add(routers.submit(() -> agent.run(Instant.now().plusSeconds(240))));
        }
        chart.await("routers mid-workflow on the previous release", () -> client.resources(PnpDevice.class).list()
                .getItems().stream().filter(d -> d.getStatus() != null && d.getStatus().history() != null
                        && d.getStatus().history().size() >= 3).count() >= ROUTERS / 2);

        // Both versions behind the Service: each router's next messages go to one and the other.
        behindTheService.add(fresh.devices());
        chart.await("both versions moving routers on", () -> transitionsLogged("endpoint-new") > 0);

        // The rolling update ends: the previous release's pods stop (SIGTERM, as the kubelet sends it).
        assertThat(oldOperator.isAlive()).as("the previous operator ran throughout" + chart.logs()).isTrue();
        oldOperator.destroy();
        chart.await("the new operator leads", () -> "operator-new".equals(client.leases().withName("pnp-operator").get()
                .getSpec().getHolderIdentity()));
        assertThat(old.process().isAlive()).as("the previous endpoint ran throughout" + chart.logs()).isTrue();
        behindTheService.remove(old.devices());
        old.process().destroy();

        for (Future<PnpAgent.Result> router : running) {
            assertThat(router.get(240, TimeUnit.SECONDS).finished()).as(router.get() + chart.logs()).isTrue();
        }
        System.out.printf("version skew: %d routers across the upgrade: %d transitions by the previous endpoint, %d by "
                + "the new one%n", ROUTERS, transitionsLogged("endpoint-old"), transitionsLogged("endpoint-new"));
        for (PnpAgent agent : agents) {
            PnpDeviceStatus status = client.resources(PnpDevice.class)
                    .withName(agent.router().serial().toLowerCase()).get().getStatus();
            assertThat(status.history()).extracting(PnpDeviceStatus.HistoryEntry::sequence)
                    .as(agent.router().serial() + ": every transition once, in order")
                    .isEqualTo(LongStream.rangeClosed(1, status.history().size()).boxed().toList());
            assertThat(status.history()).last().extracting(PnpDeviceStatus.HistoryEntry::to)
                    .isEqualTo(DeviceStep.FINISHED);
            assertThat(agent.router().completed()).as(agent.router().serial() + ": each piece of work once")
                    .containsEntry("image-install", 1).containsEntry("config-upgrade", 1);
        }
        assertThat(newOperator.isAlive() && fresh.process().isAlive()).as("the new release runs on" + chart.logs())
                .isTrue();
    }

    /** An endpoint process with its ports; its artifacts copied from the operator at {@code operatorPort}. */
    private Endpoint endpoint(String name, String jar, int operatorPort) throws Exception {
        int devicePort = InstalledChart.freePort();
        int adminPort = InstalledChart.freePort();
        Process process = chart.start(name, jar, "pnp-pnp-endpoint", Map.of("PNP_ARTIFACTS_DIR",
                Files.createDirectories(work.resolve(name + "-copy")).toString(), "PNP_ARTIFACTSSOURCE",
                "http://127.0.0.1:" + operatorPort + "/artifacts/", "PNP_DEVICE_PORT", Integer.toString(devicePort),
                "PNP_ADMIN_PORT", Integer.toString(adminPort)));
        chart.awaitReady(URI.create("http://127.0.0.1:" + adminPort + "/actuator/health/readiness"));
        return new Endpoint(process, URI.create("http://127.0.0.1:" + devicePort));
    }

    private record Endpoint(Process process, URI devices) {
    }

    /** How many transitions the endpoint {@code name} has logged (one line each, naming the router). */
    private long transitionsLogged(String name) throws Exception {
        return chart.log(name).lines().filter(l -> l.contains("\"serial\":\"FGL0000SK") && l.contains("\"to\":"))
                .count();
    }

}
