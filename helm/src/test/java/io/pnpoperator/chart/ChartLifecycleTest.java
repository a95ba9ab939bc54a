package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceSpec;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import io.pnpoperator.sim.Stats;
import io.pnpoperator.testcluster.AuditLog;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.testcluster.Kubectl;
import io.pnpoperator.testcluster.WithCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's whole life on the real control plane, with both programs running as its ServiceAccounts: every path
 * they take — CRD upgrade at start, leader election between two operators and a takeover, profiles made, changed,
 * made invalid, dry-run, rolled out and deleted, download Jobs, devices registered, provisioned, moved,
 * re-provisioned and deleted — stays within the chart's Roles (the audit log shows no call refused, and every grant
 * used), and the documented way out (docs/kubernetes.md) leaves nothing hanging on a finalizer.
 */
@WithCluster
class ChartLifecycleTest {

    @TempDir
    Path work;
    ControlPlane cluster;
    KubernetesClient client;
    InstalledChart chart;
    Kubectl kubectl;
    int devicePort;

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
    void everyPathOfBothProgramsStaysWithinTheChartsRolesAndUsesEachGrant() throws Exception {
        long mark = cluster.auditLog().mark();
        olderCrd();
        startPrograms();
        chart.await("a leader", () -> leader() != null);
        String firstLeader = leader();
        chart.await("the CRD brought up to date", () -> crd().getSpec().getVersions().get(0)
                .getAdditionalPrinterColumns().stream().anyMatch(c -> c.getName().equals("READY")));

        // Profiles: made ready (ConfigMap published), a template change carried over, a download Job replaced.
        kubectl.said("apply", "-f", "../crds/examples/pnpprofile-isr1k.yaml", "-f", "../crds/examples/pnpprofile-isr1k-download.yaml");
        kubectl.said("patch", "pnpprofile", "isr1k", "--type=merge", "-p",
                "{\"spec\":{\"rollout\":{\"maxConcurrentImageInstalls\":1}}}");
        kubectl.said("wait", "--for=condition=Ready", "pnpprofile/isr1k", "--timeout=90s");
        templates("ip domain lookup\n");
        chart.await("the published copy follows the template", () -> client.configMaps().withName("pnpprofile-isr1k")
                .get().getData().get("default.cfg").contains("ip domain lookup"));
        String oldUrl = "https://files.example.net/ios-xe/" + InstalledChart.IMAGE;
        String newUrl = "http://127.0.0.1:9/moved.bin";
        chart.await("a download Job for the image", () -> jobUrls().contains(oldUrl));
        kubectl.said("patch", "pnpprofile", "isr1k-download", "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/image/url\",\"value\":\"" + newUrl + "\"}]");
        chart.await("the old URL's Job replaced by the new one's", () -> jobUrls().contains(newUrl)
                && !jobUrls().contains(oldUrl));

        // Devices: registered ahead (the chart's claim mode), provisioned, moved out of a block, re-provisioned;
        // one that never calls.
        register("FGL0000LC04");
        register("FGL0000LC01");
        register("FGL0000LC02");
        provision("FGL0000LC01");
        PnpAgent low = router("FGL0000LC02", DeviceOptions.defaults().withSpeed(1000).withBootflashFree(500_000_000L));
        var blocked = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return low.run(Instant.now().plusSeconds(120));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        kubectl.said("wait", "--for=jsonpath={.status.step}=BOOTFLASH_NO_SPACE", "pnpdevice/fgl0000lc02", "--timeout=90s");
        kubectl.said("wait", "--for=condition=Stalled", "pnpdevice/fgl0000lc02", "--timeout=90s");
        kubectl.said("patch", "pnpdevice", "fgl0000lc02", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"step\":\"RUN_EVENT_MANAGER\"}}");
        assertThat(blocked.get(120, TimeUnit.SECONDS).finished()).isTrue();
        kubectl.said("annotate", "pnpdevice", "fgl0000lc01", "pnp.pnpoperator.io/reprovision=again");
        chart.await("re-provisioned", () -> "again".equals(device("fgl0000lc01").getStatus().reprovisioned()));
        kubectl.said("delete", "pnpdevice", "fgl0000lc02");
        // A router nobody registered: claim mode keeps a record of it, Unclaimed, and tells it to wait.
        PnpAgent stranger = router("FDO0000LC03", DeviceOptions.defaults().withSpeed(1000));
        java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                stranger.run(Instant.now().plusSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        chart.await("an Unclaimed device", () -> device("fdo0000lc03") != null && device("fdo0000lc03").getStatus() != null
                && device("fdo0000lc03").getStatus().phase() == DevicePhase.UNCLAIMED);

        // A dry run, inside the endpoint; a profile made invalid and put right: its waiting router is told.
        kubectl.said("annotate", "pnpprofile", "isr1k", "pnp.pnpoperator.io/dry-run=C1131-8PWB");
        chart.await("a DryRun Event", () -> client.v1().events().list().getItems().stream()
                .anyMatch(e -> e.getReason().equals("DryRun")));
        breakAndMendProfile();

        // The leader goes; the other operator takes its Lease and carries on, the Events of the first one included
        // (the same reason for the same router again: the Event the first leader made is read and counted up).
        operators.get(firstLeader).destroy();
        chart.await("the other operator leads", () -> leader() != null && !leader().equals(firstLeader));
        breakAndMendProfile();
        chart.await("ProfileNotReady counted twice", () -> client.v1().events().list().getItems().stream().anyMatch(e ->
                e.getInvolvedObject().getName().equals("fgl0000lc04") && e.getReason().equals("ProfileNotReady")
                        && e.getCount() != null && e.getCount() >= 2));
        kubectl.said("delete", "pnpprofile", "isr1k-download", "--timeout=60s");
        chart.await("its Jobs collected", () -> client.batch().v1().jobs().list().getItems().isEmpty());
        kubectl.said("delete", "pnpdevice", "fgl0000lc01", "fgl0000lc04", "fdo0000lc03");
        kubectl.said("delete", "pnpprofile", "isr1k", "--timeout=60s");
        chart.await("its ConfigMap collected", () -> client.configMaps().withName("pnpprofile-isr1k").get() == null);

        // What the API server saw from each of them.
        for (String program : List.of("pnp-pnp-endpoint", "pnp-pnp-operator")) {
            String user = "system:serviceaccount:" + client.getNamespace() + ":" + program;
            List<AuditLog.Call> calls = cluster.auditLog().since(mark, c -> user.equals(c.user()), cluster);
            assertThat(calls).as(program + ": no call refused").noneMatch(c -> c.code() == 403);
            Set<String> used = new TreeSet<>();
            calls.forEach(c -> used.add(c.verb() + " " + group(c) + c.target()));
            Set<String> unused = new TreeSet<>(granted(user));
            unused.removeAll(used);
            unused.removeAll(CHECKED_NOT_CALLED);
            unused.removeAll(ON_CONFLICT_ONLY);
            System.out.printf("%s: %d calls; used %s; granted, not used: %s%n", program, calls.size(), used, unused);
            assertThat(unused).as(program + ": grants no path used").isEmpty();
        }

        // What neither may do, as the API server answers it.
        Kubectl asEndpoint = cluster.kubectl(cluster.serviceAccountKubeconfig(client.getNamespace(), "pnp-pnp-endpoint"));
        Kubectl.Result refused = asEndpoint.run("delete", "pnpprofile", "anything");
        System.out.println("$ kubectl delete pnpprofile anything   # as the endpoint\n" + refused.err());
        assertThat(refused.err()).contains("(Forbidden)", "User \"system:serviceaccount:" + client.getNamespace()
                + ":pnp-pnp-endpoint\" cannot delete resource \"pnpprofiles\" in API group \"pnp.pnpoperator.io\"");
    }

    @Test
    void theDocumentedWayOutLeavesNothingHangingOnAFinalizer() throws Exception {
        startPrograms();
        kubectl.said("apply", "-f", "../crds/examples/pnpprofile-isr1k.yaml", "-f", "../crds/examples/pnpdevice-fgl2548l0aw.yaml");
        kubectl.said("wait", "--for=condition=Ready", "pnpprofile/isr1k", "--timeout=90s");
        provision("FGL2548L0AW");
        assertThat(client.resources(PnpProfile.class).withName("isr1k").get().getMetadata().getFinalizers())
                .containsExactly("pnp.pnpoperator.io/in-use");

        // As docs/kubernetes.md says: the resources while the operator runs, then the release, the namespace. (Not
        // the CRDs: other tests' namespaces share them, as other releases would.)
        kubectl.said("delete", "pnpprofiles,pnpdevices", "--all", "--timeout=60s");
        chart.await("the published ConfigMap collected", () -> client.configMaps().withName("pnpprofile-isr1k").get() == null);
        Helm.uninstall(Chart.RELEASE).withNamespace(client.getNamespace()).withKubeConfig(cluster.adminKubeconfig())
                .call();
        chart.close(); // the Deployments are gone: so are their pods
        cluster.kubectl().run("delete", "namespace", client.getNamespace(), "--wait=false").ok();
        chart.await("the namespace gone", () -> cluster.admin().namespaces().withName(client.getNamespace()).get() == null);
    }

    /** The profile isr1k made invalid (a template its ConfigMap lacks), then put right. */
    private void breakAndMendProfile() {
        kubectl.said("patch", "pnpprofile", "isr1k", "--type=merge", "-p", "{\"spec\":{\"config\":{\"template\":\"none.cfg\"}}}");
        kubectl.said("wait", "--for=condition=Ready=false", "pnpprofile/isr1k", "--timeout=60s");
        kubectl.said("wait", "--for=condition=ProfileResolved=false", "pnpdevice/fgl0000lc04", "--timeout=60s");
        kubectl.said("patch", "pnpprofile", "isr1k", "--type=merge", "-p", "{\"spec\":{\"config\":{\"template\":\"default.cfg\"}}}");
        kubectl.said("wait", "--for=condition=Ready", "pnpprofile/isr1k", "--timeout=60s");
        kubectl.said("wait", "--for=condition=ProfileResolved", "pnpdevice/fgl0000lc04", "--timeout=60s");
    }

    /**
     * Grants checked rather than called: setting {@code blockOwnerDeletion} on a profile's objects (the API server's
     * OwnerReferencesPermissionEnforcement), and update of the operator's Lease (java-operator-sdk reviews its rights
     * to the Lease at start with a SelfSubjectRulesReview, and does not start without it; it renews with patch).
     */
    static final Set<String> CHECKED_NOT_CALLED = Set.of("update pnp.pnpoperator.io/pnpprofiles/finalizers",
            "update coordination.k8s.io/leases");

    /**
     * Grants a run may not need, used after a conflict only: java-operator-sdk reads a profile again when a write of
     * it met one; an Event is read back when another replica created it first (the operator's takeover above does;
     * the one endpoint here never meets another).
     */
    static final Set<String> ON_CONFLICT_ONLY = Set.of("get pnp.pnpoperator.io/pnpprofiles", "get events");

    final Map<String, Process> operators = new HashMap<>();

    private void startPrograms() throws Exception {
        Path volume = chart.artifacts(InstalledChart.IMAGE, "guestshell.17.09.01a.tar");
        templates("");
        int operatorPort = InstalledChart.freePort();
        operators.put("pnp-operator-a", chart.startOperator("pnp-operator-a", Map.of("PNP_ARTIFACTS_DIR",
                volume.toString(), "PNP_HTTP_PORT", Integer.toString(operatorPort))));
        operators.put("pnp-operator-b", chart.startOperator("pnp-operator-b", Map.of("PNP_ARTIFACTS_DIR",
                volume.toString(), "PNP_HTTP_PORT", Integer.toString(InstalledChart.freePort()))));
        // The chart's default, artifacts.mode mirrored: the endpoint fills a folder of its own from operator a.
        devicePort = InstalledChart.freePort();
        int adminPort = InstalledChart.freePort();
        chart.startEndpoint(Map.of("PNP_ARTIFACTS_DIR", Files.createDirectories(work.resolve("endpoint-copy"))
                .toString(), "PNP_ARTIFACTSSOURCE", "http://127.0.0.1:" + operatorPort + "/artifacts/",
                "PNP_DEVICE_PORT", Integer.toString(devicePort), "PNP_ADMIN_PORT", Integer.toString(adminPort)));
        chart.awaitReady(URI.create("http://127.0.0.1:" + adminPort + "/actuator/health/readiness"));
    }

    /** The CRD as an older chart left it: the operator's ClusterRole lets it bring it up to date. */
    private void olderCrd() {
        CustomResourceDefinition older = crd();
        older.getSpec().getVersions().get(0).getAdditionalPrinterColumns().removeIf(c -> c.getName().equals("READY"));
        client.resource(older).update();
    }

    private CustomResourceDefinition crd() {
        return client.apiextensions().v1().customResourceDefinitions().withName("pnpdevices.pnp.pnpoperator.io").get();
    }

    private String leader() {
        var lease = client.leases().withName("pnp-operator").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    /** The templates the isr1k example names: the repository's default.cfg (its EEM applet), and {@code more}. */
    private void templates(String more) throws Exception {
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("isr1k-configs").endMetadata()
                .addToData("default.cfg", Files.readString(Path.of("../configs/default.cfg")) + more).build())
                .createOr(c -> c.update());
    }

    /** The URLs the download Jobs fetch. */
    private List<String> jobUrls() {
        return client.batch().v1().jobs().list().getItems().stream().flatMap(j -> j.getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv().stream()).filter(e -> e.getName().equals("URL")).map(e -> e.getValue())
                .toList();
    }

    private void register(String serial) {
        PnpDevice device = new PnpDevice();
        device.setMetadata(new ObjectMetaBuilder().withName(serial.toLowerCase()).build());
        device.setSpec(new PnpDeviceSpec(serial, "isr1k", Map.of("hostname", serial.toLowerCase()), null));
        client.resource(device).create();
    }

    /** A router that calls until provisioned. */
    private void provision(String serial) throws Exception {
        PnpAgent.Result result = router(serial, DeviceOptions.defaults().withSpeed(1000)).run(Instant.now().plusSeconds(120));
        assertThat(result.finished()).as(result + chart.logs()).isTrue();
    }

    private PnpAgent router(String serial, DeviceOptions options) {
        return new PnpAgent(URI.create("http://127.0.0.1:" + devicePort), new SimulatedRouter(serial, options), options,
                HttpClient.newHttpClient(), new Stats());
    }

    private PnpDevice device(String name) {
        return client.resources(PnpDevice.class).withName(name).get();
    }

    /** {@code verb group/resource[/subresource]} for every grant of the chart's Roles bound to {@code user}. */
    private Set<String> granted(String user) {
        String account = user.substring(user.lastIndexOf(':') + 1);
        Set<String> granted = new TreeSet<>();
        for (RoleBinding binding : Chart.all(chart.manifests, RoleBinding.class)) {
            if (binding.getSubjects().stream().anyMatch(s -> s.getName().equals(account))) {
                rules(binding.getRoleRef()).forEach(r -> grants(r, granted));
            }
        }
        for (ClusterRoleBinding binding : Chart.all(chart.manifests, ClusterRoleBinding.class)) {
            if (binding.getSubjects().stream().anyMatch(s -> s.getName().equals(account))) {
                rules(binding.getRoleRef()).forEach(r -> grants(r, granted));
            }
        }
        return granted;
    }

    /** The rules of a Role or ClusterRole of the chart; none for Kubernetes' own (system:auth-delegator). */
    private List<PolicyRule> rules(RoleRef ref) {
        List<? extends HasMetadata> roles = ref.getKind().equals("Role") ? Chart.all(chart.manifests, Role.class)
                : Chart.all(chart.manifests, ClusterRole.class);
        return roles.stream().filter(r -> r.getMetadata().getName().equals(ref.getName())).findFirst()
                .map(r -> r instanceof Role role ? role.getRules() : ((ClusterRole) r).getRules()).orElse(List.of());
    }

    private static void grants(PolicyRule rule, Set<String> into) {
        for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
                for (String verb : rule.getVerbs()) {
                    into.add(verb + " " + (group.isEmpty() ? "" : group + "/") + resource);
                }
            }
        }
    }

    private static String group(AuditLog.Call call) {
        String uri = call.uri();
        return uri.startsWith("/apis/") ? uri.split("/")[2] + "/" : "";
    }
}
