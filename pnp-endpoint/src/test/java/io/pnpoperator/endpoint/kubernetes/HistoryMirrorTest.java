package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.WithCluster;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.endpoint.Lab;
import io.pnpoperator.endpoint.PnpServer;
import io.pnpoperator.endpoint.Routers;
import io.pnpoperator.endpoint.mariadb.MariaDb;
import io.pnpoperator.endpoint.mariadb.MariaDbExtension;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes mode with MariaDB as the history database: the database goes down in the middle of
 * provisioning and comes back; the devices never notice, and afterwards the transitions table holds each
 * device's history exactly, no gaps, no duplicates.
 */
@WithCluster
@ExtendWith(MariaDbExtension.class)
class HistoryMirrorTest {

    static final DeviceOptions ROUTER = DeviceOptions.defaults().withSpeed(200);

    KubernetesClient client;
    @TempDir
    Path folder;

    @Test
    void transitionsTableEqualsTheDevicesHistoryAfterAnOutage(MariaDb db) throws Exception {
        provisionThroughAnOutage(db, "MIR", 10_000);
    }

    @Test
    void overflowDuringAnOutageIsResyncedFromTheResources(MariaDb db) throws Exception {
        provisionThroughAnOutage(db, "OVF", 3);
    }

    private void provisionThroughAnOutage(MariaDb db, String prefix, int queue) throws Exception {
        Lab lab = Lab.create(folder);
        KubernetesModeTest.createProfile(client, lab, "default");
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("lab-configs").withNamespace(client.getNamespace())
                .endMetadata().addToData("default.cfg", Lab.DEFAULT_CFG).build()).create();
        List<String> args = new ArrayList<>(List.of(KubernetesModeTest.args(client, lab, "register")));
        args.addAll(List.of(db.datasourceArgs()));
        args.add("--pnp.history.max-backoff=500ms");
        args.add("--pnp.history.queue=" + queue);
        try (PnpServer endpoint = PnpServer.start(lab, args.toArray(String[]::new))) {
            List<PnpAgent> agents = IntStream.rangeClosed(1, 5)
                    .mapToObj(i -> Routers.router(String.format(prefix + "%05d", i), endpoint.deviceUrl(), ROUTER)).toList();
            List<CompletableFuture<PnpAgent.Result>> runs = agents.stream().map(a -> Routers.inBackground(a, 90)).toList();
            Thread.sleep(300);
            db.stop();
            Thread.sleep(1500);
            assertThat(runs).as("routers keep going while the database is down").anyMatch(r -> !r.isDone());
            db.launch();
            for (CompletableFuture<PnpAgent.Result> r : runs) {
                assertThat(r.get(90, TimeUnit.SECONDS).finished()).isTrue();
            }
            Instant until = Instant.now().plusSeconds(60);
            while (endpoint.metric("pnp_history_mirror_backlog") > 0) {
                assertThat(Instant.now()).as("mirror drained").isBefore(until);
                Thread.sleep(100);
            }
            for (PnpAgent agent : agents) {
                String serial = agent.router().serial();
                PnpDeviceStatus status = client.resources(PnpDevice.class).inNamespace(client.getNamespace())
                        .withName(serial.toLowerCase()).get().getStatus();
                List<String> fromResource = status.history().stream()
                        .map(h -> h.sequence() + " " + h.from() + " " + h.to() + " " + h.result()).toList();
                assertThat(db.rows("SELECT CONCAT(seq, ' ', from_step, ' ', to_step, ' ', result) FROM transitions "
                        + "WHERE serial = ? ORDER BY seq", serial)).as(serial).hasSize(Routers.TRANSITIONS).isEqualTo(fromResource);
            }
        }
    }
}
