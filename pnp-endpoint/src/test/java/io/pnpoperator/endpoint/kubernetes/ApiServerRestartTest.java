package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.endpoint.Lab;
import io.pnpoperator.endpoint.PnpServer;
import io.pnpoperator.endpoint.Routers;
import io.pnpoperator.endpoint.workflow.Workflow;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.testcluster.AuditLog;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.testcluster.TwoApiServers;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart of a highly available control plane under a running endpoint: the endpoint's API server stops
 * while the other one keeps serving people, and a person asks for a router to be provisioned again meanwhile. When
 * its API server is back, the endpoint's watches resume from before the restart; the restarted API server's caches
 * start anew, so it ends them with 410 Gone; the endpoint lists again, catches up, and carries the request out.
 */
class ApiServerRestartTest {

    static final String NAMESPACE = "restart";
    static final int ROLLOUT = 10;

    @TempDir
    Path folder;

    @Test
    void anEndpointWhoseApiServerRestartedIsAnswered410GoneListsAgainAndCatchesUp() throws Exception {
        try (TwoApiServers servers = new TwoApiServers(ControlPlane.shared())) {
            KubernetesClient people = servers.prepare(1, NAMESPACE, Path.of("../crds"));
            Lab lab = Lab.create(folder);
            String[] args = endpointOnServer0(servers, people, lab);
            try (PnpServer endpoint = PnpServer.start(lab, args)) {
                PnpAgent agent = Routers.router("FGL0000RST1", endpoint.deviceUrl(), Routers.FAST);
                assertThat(Routers.run(agent, 60).finished()).isTrue();

                servers.stop(0);
                people.resources(PnpDevice.class).withName("fgl0000rst1").edit(d -> {
                    Map<String, String> annotations = new HashMap<>(d.getMetadata().getAnnotations() == null ? Map.of()
                            : d.getMetadata().getAnnotations());
                    annotations.put(PnpDeviceStatus.REPROVISION, "during-the-restart");
                    d.getMetadata().setAnnotations(annotations);
                    return d;
                });
                long mark = servers.auditLog(0).mark();
                servers.start(0);

                Instant until = Instant.now().plusSeconds(60);
                while (!"during-the-restart".equals(people.resources(PnpDevice.class).withName("fgl0000rst1").get()
                        .getStatus().reprovisioned())) {
                    assertThat(Instant.now()).as("the re-provisioning asked for during the restart carried out")
                            .isBefore(until);
                    Thread.sleep(100);
                }
                List<AuditLog.Call> calls = servers.auditLog(0).since(mark, c -> c.target() != null
                        && c.target().equals("pnpdevices") && NAMESPACE.equals(c.namespace()), servers.client(0, NAMESPACE));
                System.out.println("the endpoint's PnpDevice reads after its API server restarted: " + calls.stream()
                        .map(c -> c.verb() + " " + c.code() + " " + c.uri()).toList());
                // The watch resumed from before the restart is accepted (101), then ended by an ERROR event in the
                // stream: 410 Gone, the restarted API server's cache does not go back that far. Only then does an
                // informer list again (a 429 while its storage comes up is retried first).
                String before = resourceVersion(calls.get(0).uri());
                List<String> seen = new ArrayList<>(calls.stream().filter(c -> c.code() != 429).map(c -> c.verb() + " "
                        + (c.verb().equals("watch") ? resourceVersion(c.uri()).equals(before) ? "from before" : "from after"
                        : c.code())).toList());
                assertThat(seen).as("a watch from before the restart, gone; a list; a watch from after it")
                        .containsSubsequence("watch from before", "list 200", "watch from after");
                assertThat(Routers.run(agent, 60).finished()).as("provisioned again").isTrue();
            }
        }
    }

    /**
     * The endpoint's API server stops in the middle of a rollout of ten routers and stays away longer than the
     * endpoint's retries: routers asking for work are told to come back (a PnP backoff, not an HTTP error), their
     * reports are refused and sent again. When it is back every router finishes, with every transition stored once
     * and every piece of work done once (a download refused meanwhile is a failed attempt, recorded and tried again).
     */
    @Test
    void aRolloutCarriesOnThroughItsApiServersRestartWithNothingLost() throws Exception {
        try (TwoApiServers servers = new TwoApiServers(ControlPlane.shared())) {
            KubernetesClient people = servers.prepare(1, NAMESPACE, Path.of("../crds"));
            Lab lab = Lab.create(folder);
            String[] args = endpointOnServer0(servers, people, lab);
            ExecutorService pool = Executors.newFixedThreadPool(ROLLOUT);
            try (PnpServer endpoint = PnpServer.start(lab, args)) {
                List<PnpAgent> agents = IntStream.rangeClosed(1, ROLLOUT).mapToObj(i -> Routers.router(
                        String.format("FGL0000RL%02d", i), endpoint.deviceUrl(), Routers.FAST.withSpeed(200))).toList();
                List<Future<PnpAgent.Result>> running = agents.stream()
                        .map(a -> pool.submit(() -> Routers.run(a, 180))).toList();
                awaitTrue("a router past its image install", () -> people.resources(PnpDevice.class).list().getItems()
                        .stream().anyMatch(d -> d.getStatus() != null && d.getStatus().history() != null
                                && d.getStatus().history().size() > 6));

                servers.stop(0);
                awaitTrue("routers told to come back", () -> endpoint.metric("pnp_store_unavailable_backoffs_total") > 0);
                servers.start(0);

                for (Future<PnpAgent.Result> r : running) {
                    assertThat(r.get(180, TimeUnit.SECONDS).finished()).as(r.get().toString()).isTrue();
                }
                System.out.printf("API server away mid-rollout: %.0f work requests told to come back, %d routers "
                        + "finished%n", endpoint.metric("pnp_store_unavailable_backoffs_total"), ROLLOUT);
                for (PnpAgent agent : agents) {
                    PnpDevice device = people.resources(PnpDevice.class).withName(agent.router().serial().toLowerCase())
                            .get();
                    List<PnpDeviceStatus.HistoryEntry> history = device.getStatus().history();
                    // A router that fetched its day-0 config while the API server was away got a 503 (the one-time
                    // URL cannot be marked used) and reports its copy failed, as a router's copy would: one
                    // failed attempt more, recorded, and tried again. Nothing else may add to its history.
                    List<PnpDeviceStatus.HistoryEntry> failed = history.stream()
                            .filter(h -> Workflow.RESULT_FAILURE.equals(h.result())).toList();
                    assertThat(failed).as(agent.router().serial() + ": failed only by the outage")
                            .allSatisfy(h -> assertThat(h.error()).contains("HTTP 503"));
                    assertThat(history).extracting(PnpDeviceStatus.HistoryEntry::sequence)
                            .as(agent.router().serial() + ": every transition once, in order")
                            .isEqualTo(LongStream.rangeClosed(1, Routers.TRANSITIONS + failed.size()).boxed().toList());
                    assertThat(agent.router().completed()).as(agent.router().serial() + ": each piece of work once")
                            .containsEntry("image-install", 1).containsEntry("file-transfer", 2)
                            .containsEntry("config-upgrade", 1).containsEntry("cli-config", 1);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** The lab's profile and its ConfigMap, made by people through server 1; the endpoint's arguments for server 0. */
    private static String[] endpointOnServer0(TwoApiServers servers, KubernetesClient people, Lab lab)
            throws Exception {
        KubernetesModeTest.createProfile(people, lab, "default");
        people.resource(new ConfigMapBuilder().withNewMetadata().withName("lab-configs").endMetadata()
                .addToData("default.cfg", Lab.DEFAULT_CFG).build()).create();
        return Stream.concat(Stream.of(KubernetesModeTest.args(people, lab, "register")),
                Stream.of("--pnp.kubernetes.api-url=" + servers.url(0))).toArray(String[]::new);
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(120);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).as(what).isBefore(until);
            Thread.sleep(100);
        }
    }

    private static String resourceVersion(String uri) {
        java.util.regex.Matcher rv = java.util.regex.Pattern.compile("resourceVersion=(\\d+)").matcher(uri);
        return rv.find() ? rv.group(1) : "";
    }
}
