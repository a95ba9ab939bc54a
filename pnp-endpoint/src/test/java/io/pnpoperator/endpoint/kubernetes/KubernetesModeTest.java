package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pnpoperator.testcluster.ControlPlane;
import io.pnpoperator.testcluster.WithCluster;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceSpec;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import io.pnpoperator.crds.profile.DayZeroConfig;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PlatformImage;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import io.pnpoperator.crds.profile.ProfileMatch;
import io.pnpoperator.crds.profile.Rollout;
import io.pnpoperator.crds.profile.PnpProfileStatus;
import io.pnpoperator.endpoint.Lab;
import io.pnpoperator.endpoint.PnpServer;
import io.pnpoperator.endpoint.Routers;
import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.PnpAgent;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint in kubernetes mode on the real control plane (the project's CRDs), driven by simulated routers. */
@WithCluster
class KubernetesModeTest {

    static final DeviceOptions ROUTER = Routers.FAST;

    ControlPlane cluster;
    KubernetesClient client;
    @TempDir
    Path folder;
    Lab lab;
    PnpServer endpoint;

    @BeforeEach
    void cluster() throws Exception {
        lab = Lab.create(folder);
        createProfile("default");
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("lab-configs").withNamespace(client.getNamespace())
                .endMetadata().addToData("default.cfg", Lab.DEFAULT_CFG + "hostname ${hostname}\n")
                .addToData("FGL0000OWN1.cfg", Lab.DEFAULT_CFG + "hostname own-config\n").build()).create();
    }

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void routerIsProvisionedWithEveryTransitionInItsPnpDeviceStatus() throws Exception {
        endpoint = start("register");
        // A first router warms the endpoint up (the artifacts measured): the second shows the steady state.
        assertThat(run(agent("FGL0000WRM1", endpoint.deviceUrl()), 60).finished()).isTrue();
        long auditMark = cluster.auditLog().mark();
        double impliedBefore = endpoint.metric("pnp_store_implied_requests_total");
        PnpAgent agent = agent("FGL2548L0AW", endpoint.deviceUrl());
        assertThat(agent.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        ApiCalls calls = ApiCalls.since(cluster, auditMark, client.getNamespace());
        double implied = endpoint.metric("pnp_store_implied_requests_total") - impliedBefore;
        System.out.printf("API calls for one router (%d transitions, %d exchanges) on one endpoint: %s; "
                        + "%.2f status writes a transition, %d bytes a status write, %.0f requests implied%n",
                Routers.TRANSITIONS, agent.router().executed().values().stream().mapToInt(Integer::intValue).sum() * 2,
                calls, calls.statusWrites() / (double) Routers.TRANSITIONS, calls.statusBytes() / calls.statusWrites(),
                implied);
        assertThat(calls.creates()).isEqualTo(1);
        assertThat(calls.statusWrites()).as("a transition each, the first request, the image steps' requests, the "
                + "day-0 config URL sent and used up; no conflicts").isEqualTo(Routers.TRANSITIONS + 5);
        assertThat(calls.gets()).as("one read at first contact, one to confirm each request not written")
                .isEqualTo(1 + (int) implied);
        assertThat(calls.events()).as("the Step Event made once, then counted up").isEqualTo(Routers.TRANSITIONS);
        assertThat(calls.eventReads()).as("an Event repeated is one patch, not a read and a patch").isZero();

        PnpDevice device = device("fgl2548l0aw");
        System.out.printf("one provisioned PnpDevice as the API server keeps it: %d bytes of JSON (managedFields "
                + "included)%n", client.raw("/apis/pnp.pnpoperator.io/v1alpha1/namespaces/" + client.getNamespace()
                + "/pnpdevices/fgl2548l0aw").length());
        assertThat(device.getSpec()).isEqualTo(new PnpDeviceSpec("FGL2548L0AW", "default", null, null));
        assertThat(device.getMetadata().getLabels()).containsEntry(KubernetesDeviceStore.DISCOVERED_LABEL, "true");
        assertThat(device.getStatus().phase()).isEqualTo(DevicePhase.PROVISIONED);
        assertThat(device.getStatus().step()).isEqualTo(DeviceStep.FINISHED);
        assertThat(device.getStatus().observed().version()).isEqualTo("17.14.1a");
        assertThat(device.getStatus().history()).hasSize(Routers.TRANSITIONS).extracting(PnpDeviceStatus.HistoryEntry::to)
                .endsWith(DeviceStep.RUN_PY_SCRIPT, DeviceStep.FINISHED);
        assertThat(device.getStatus().conditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getReason()).isEqualTo("Provisioned");
            assertThat(c.getObservedGeneration()).isEqualTo(device.getMetadata().getGeneration());
        });
        // One Event object for all 17 steps, counted, as Kubernetes' own recorder keeps repeats.
        awaitEvent("fgl2548l0aw", "Step", "RUN_PY_SCRIPT → FINISHED (cli-exec success)");
        List<io.fabric8.kubernetes.api.model.Event> events = client.v1().events().inNamespace(client.getNamespace()).list()
                .getItems().stream().filter(e -> e.getInvolvedObject().getName().equals("fgl2548l0aw")).toList();
        System.out.printf("Event objects for one provisioned router: %d (counts %s)%n", events.size(),
                events.stream().map(e -> e.getReason() + " x" + e.getCount()).toList());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getCount()).isEqualTo(Routers.TRANSITIONS);
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getReportingComponent()).isEqualTo("pnp-endpoint");
            assertThat(e.getReportingInstance()).isNotBlank();
            assertThat(e.getInvolvedObject().getUid()).isEqualTo(device.getMetadata().getUid());
        });
        assertThat(agent.router().runningConfig()).as("the template, rendered")
                .contains("event manager applet InstallGuestShell", "hostname ${hostname}");
    }

    @Test
    void anEndpointStartingBesideTwoThousandFiveHundredDevicesReadsThemInPages() throws Exception {
        // A provisioned fleet, as an endpoint restarted in a busy cluster finds it.
        String at = Instant.now().toString();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> creates = java.util.stream.IntStream.rangeClosed(1, 2500)
                .mapToObj(i -> CompletableFuture.runAsync(() -> {
                    String serial = String.format("INV%05d", i);
                    register(serial, "default", Map.of());
                    PnpDevice device = device(serial.toLowerCase());
                    device.setStatus(new PnpDeviceStatus(DevicePhase.PROVISIONED, DeviceStep.FINISHED, 0, null, at, at,
                            null, null, List.of(), 1L, new PnpDeviceStatus.Identity(null, "C1131-8PWB", "Router",
                            "10.0.0.1", at, at), null, List.of(), null));
                    client.resource(device).updateStatus();
                }, pool)).toList();
        creates.forEach(CompletableFuture::join);
        pool.shutdown();
        long mark = cluster.auditLog().mark();
        endpoint = start("reject");

        String token = cluster.serviceAccountWithRole(client.getNamespace(), "viewer", new PolicyRuleBuilder()
                .withApiGroups("pnp.pnpoperator.io").withResources("pnpdevices").withVerbs("get", "list").build());
        assertThat(PnpServer.json(endpoint.get(endpoint.adminUrl(), "/api/devices", "Authorization", "Bearer " + token)
                .body())).as("every device known").hasSize(2500);
        List<io.pnpoperator.testcluster.AuditLog.Call> lists = cluster.auditLog().since(mark, c -> c.verb().equals("list")
                && c.target().equals("pnpdevices") && client.getNamespace().equals(c.namespace()), cluster);
        System.out.printf("2,500 PnpDevices listed by the starting endpoint in %d requests: %s%n", lists.size(),
                lists.stream().map(io.pnpoperator.testcluster.AuditLog.Call::uri).toList());
        assertThat(lists).as("pages of 500").hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(c -> assertThat(c.uri()).contains("limit=500"));
    }

    @Test
    void preRegisteredDeviceGetsItsOwnConfigAndVariables() throws Exception {
        register("FGL0000VAR1", "default", Map.of("hostname", "branch-0042"));
        register("FGL0000OWN1", "default", Map.of());
        endpoint = start("register");
        PnpAgent templated = agent("FGL0000VAR1", endpoint.deviceUrl());
        PnpAgent own = agent("FGL0000OWN1", endpoint.deviceUrl());
        assertThat(templated.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        assertThat(own.run(Instant.now().plusSeconds(60)).finished()).isTrue();

        assertThat(templated.router().runningConfig()).contains("hostname branch-0042");
        assertThat(own.router().runningConfig()).contains("hostname own-config").doesNotContain("${hostname}");
    }

    @Test
    void configsAreServedFromTheConfigMapTheOperatorPublished() throws Exception {
        client.resource(new ConfigMapBuilder().withNewMetadata().withName("pnpprofile-checked")
                .withNamespace(client.getNamespace()).endMetadata()
                .addToData("default.cfg", Lab.DEFAULT_CFG + "hostname from-the-checked-copy\n").build()).create();
        createProfile(client, lab, "checked", "pnpprofile-checked");
        register("FGL0000PUB1", "checked", Map.of());
        endpoint = start("register");
        PnpAgent router = agent("FGL0000PUB1", endpoint.deviceUrl());
        assertThat(router.run(Instant.now().plusSeconds(60)).finished()).isTrue();
        assertThat(router.router().runningConfig()).contains("hostname from-the-checked-copy");
    }

    @Test
    void blockedRouterIsUnblockedByAStatusPatchAsWithKubectl() throws Exception {
        endpoint = start("register");
        PnpAgent agent = agent("FGL0000LOW1", endpoint.deviceUrl(), ROUTER.withBootflashFree(700_000_000L));
        CompletableFuture<PnpAgent.Result> running = CompletableFuture.supplyAsync(() -> run(agent, 60));

        await("fgl0000low1", d -> d.getStatus() != null && d.getStatus().step() == DeviceStep.BOOTFLASH_NO_SPACE);
        assertThat(device("fgl0000low1").getStatus().phase()).isEqualTo(DevicePhase.BLOCKED);
        // A move the CRD's rules refuse never reaches the endpoint: the API server says why.
        assertThatThrownBy(() -> kubectlPatch("fgl0000low1", "FINISHED")).isInstanceOfSatisfying(
                KubernetesClientException.class, e -> assertThat(e.getStatus().getMessage()).isEqualTo(
                        "PnpDevice.pnp.pnpoperator.io \"fgl0000low1\" is invalid: status.step: Invalid value: "
                                + "FINISHED is reached by the router running its script; to stop "
                                + "provisioning a router, set spec.paused"));
        // kubectl patch pnpdevice fgl0000low1 --subresource=status --type=merge -p '{"status":{"step":"RUN_EVENT_MANAGER"}}'
        kubectlPatch("fgl0000low1", "RUN_EVENT_MANAGER");

        assertThat(running.get(60, TimeUnit.SECONDS).finished()).isTrue();
        PnpDevice done = device("fgl0000low1");
        assertThat(done.getStatus().phase()).isEqualTo(DevicePhase.PROVISIONED);
        assertThat(done.getStatus().history()).filteredOn(h -> h.work().equals("operator")).singleElement()
                .satisfies(h -> {
                    assertThat(h.from()).isEqualTo(DeviceStep.BOOTFLASH_NO_SPACE);
                    assertThat(h.to()).isEqualTo(DeviceStep.RUN_EVENT_MANAGER);
                    assertThat(h.result()).as("who moved it").isEqualTo("kubectl-patch");
                });
        assertThat(done.getStatus().history()).extracting(PnpDeviceStatus.HistoryEntry::sequence)
                .doesNotHaveDuplicates().isSorted();
        awaitEvent("fgl0000low1", "MovedByOperator", "BOOTFLASH_NO_SPACE → RUN_EVENT_MANAGER (operator kubectl-patch)");
    }

    @Test
    void aMoveTheEndpointRefusesIsUndoneWithAWarning() throws Exception {
        // A cluster whose CRD predates the rules (the chart's CRDs are not upgraded by helm upgrade).
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
                .withName("pnpdevices.pnp.pnpoperator.io").get();
        crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("status")
                .setXKubernetesValidations(null);
        client.resource(crd).update();
        endpoint = start("register");
        assertThat(run(agent("FGL0000FIN1", endpoint.deviceUrl()), 60).finished()).isTrue();

        kubectlPatch("fgl0000fin1", "CONFIG_START");
        await("fgl0000fin1", d -> d.getStatus().step() == DeviceStep.FINISHED);
        awaitEvent("fgl0000fin1", "StepMoveRefused", "kubectl-patch moved it from FINISHED to CONFIG_START: refused, "
                + "the router is provisioned: a step edit cannot send it back; delete the PnpDevice to forget it; "
                + "status.step is FINISHED again");
        PnpDevice device = device("fgl0000fin1");
        assertThat(device.getStatus().phase()).isEqualTo(DevicePhase.PROVISIONED);
        assertThat(device.getStatus().history()).noneMatch(h -> h.work().equals("operator"));
    }

    @Test
    void deletingAPnpDeviceMidProvisioningFreesItsRouterOnEveryReplica() throws Exception {
        endpoint = start("register");
        try (PnpServer second = PnpServer.start(lab, args("register"))) {
            PnpAgent agent = Routers.routerOf("FGL0000DEL1", List.of(endpoint.deviceUrl(), second.deviceUrl()),
                    ROUTER.withSpeed(200));
            CompletableFuture<PnpAgent.Result> running = CompletableFuture.supplyAsync(() -> run(agent, 90));
            String firstUid = await("fgl0000del1", d -> d.getStatus() != null
                    && d.getStatus().step() == DeviceStep.CONFIG_START).getMetadata().getUid();
            client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName("fgl0000del1").delete();

            // Both replicas had written it; the router's next messages, to either, register it anew.
            assertThat(running.get(90, TimeUnit.SECONDS).finished()).isTrue();
            PnpDevice again = device("fgl0000del1");
            assertThat(again.getMetadata().getUid()).isNotEqualTo(firstUid);
            assertThat(again.getStatus().phase()).isEqualTo(DevicePhase.PROVISIONED);
            assertThat(endpoint.metrics() + second.metrics()).doesNotContain("status=\"500\"");
        }
    }

    @Test
    void unknownRouterIsUnclaimedUnderTheRejectPolicyUntilAPersonSetsItsProfile() throws Exception {
        endpoint = start("reject");
        PnpAgent agent = agent("FGL0000UNK1", endpoint.deviceUrl());
        CompletableFuture<PnpAgent.Result> running = CompletableFuture.supplyAsync(() -> run(agent, 60));

        PnpDevice unclaimed = await("fgl0000unk1", d -> d.getStatus() != null);
        assertThat(unclaimed.getSpec().profile()).isNull();
        assertThat(unclaimed.getStatus().phase()).isEqualTo(DevicePhase.UNCLAIMED);
        assertThat(unclaimed.getStatus().lastError()).isEqualTo(
                "no profile: set spec.profile of PnpDevice fgl0000unk1 to provision it");
        assertThat(unclaimed.getStatus().conditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("ProfileResolved");
            assertThat(c.getStatus()).isEqualTo("False");
        });
        Routers.awaitMoreContacts(agent, 3);
        assertThat(device("fgl0000unk1").getStatus().step()).as("nothing done while unclaimed")
                .isEqualTo(DeviceStep.NEW_DEVICE);
        assertThat(agent.router().executed()).as("asked nothing but to wait").containsOnlyKeys("backoff");

        // As kubectl patch --type=merge does it: no resourceVersion, so the endpoint's status writes meanwhile
        // cannot make it fail.
        client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName("fgl0000unk1")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"profile\":\"default\"}}");
        assertThat(running.get(60, TimeUnit.SECONDS).finished()).isTrue();
    }

    @Test
    void unknownRoutersBeyondTheUnclaimedCapAreNotRecorded() throws Exception {
        endpoint = PnpServer.start(lab, args("reject", "--pnp.limits.max-unclaimed=2"));
        for (int i = 1; i <= 3; i++) {
            String serial = "FGL0000CAP" + i;
            String answer = endpoint.post("/pnp/WORK-REQUEST", ("<pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" "
                    + "udi=\"PID:C1131-8PWB,VID:V01,SN:" + serial + "\"><info xmlns=\"urn:cisco:pnp:work-info\" "
                    + "correlator=\"c\"/></pnp>").getBytes(java.nio.charset.StandardCharsets.UTF_8)).body();
            if (i < 3) {
                await(serial.toLowerCase(), d -> d.getStatus() != null
                        && d.getStatus().phase() == DevicePhase.UNCLAIMED);
            } else {
                assertThat(answer).contains("not registered: 2 unknown devices already wait for a person "
                        + "(pnp.limits.max-unclaimed)");
            }
        }
        assertThat(device("fgl0000cap3")).as("no PnpDevice made").isNull();
        assertThat(endpoint.metric("pnp_registrations_refused_total")).isEqualTo(1);
    }

    @Test
    void aRouterAskingForCredentialsGetsTheLoginOfTheProfilesSecretOnceItExists() throws Exception {
        createProfile("secured");
        client.resources(PnpProfile.class).inNamespace(client.getNamespace()).withName("secured").edit(p -> {
            p.setSpec(new PnpProfileSpec(p.getSpec().configRegister(), p.getSpec().image(), p.getSpec().config(),
                    p.getSpec().files(), p.getSpec().guestshell(), "lab-login"));
            return p;
        });
        register("FGL0000AUT1", "secured", Map.of());
        endpoint = start("register");
        PnpAgent agent = agent("FGL0000AUT1", endpoint.deviceUrl(), ROUTER.withCredentials("pnp:s3cret"));
        CompletableFuture<PnpAgent.Result> running = CompletableFuture.supplyAsync(() -> run(agent, 60));

        PnpDevice held = await("fgl0000aut1", d -> d.getStatus() != null && d.getStatus().lastError() != null);
        assertThat(held.getStatus().phase()).isEqualTo(DevicePhase.PENDING);
        assertThat(held.getStatus().lastError()).isEqualTo("profile secured: Secret lab-login (spec.credentialsSecret) "
                + "not found in namespace " + client.getNamespace());

        client.resource(new SecretBuilder().withNewMetadata().withName("lab-login").withNamespace(client.getNamespace())
                .endMetadata().withType("kubernetes.io/basic-auth").addToStringData("username", "pnp")
                .addToStringData("password", "s3cret").build()).create();
        assertThat(running.get(60, TimeUnit.SECONDS).finished()).as("a router refuses work without its login")
                .isTrue();
        assertThat(agent.router().completed()).containsEntry("cli-config", 1).containsEntry("image-install", 1);
        assertThat(agent.router().refused()).as("only the held device's backoffs, which had no login to carry")
                .isNotEmpty().allSatisfy(r -> assertThat(r).isIn("message without the device's usr/pwd",
                        "<info> needs a correlator"));
        assertThat(client.getKubernetesSerialization().asJson(device("fgl0000aut1"))).doesNotContain("s3cret");
    }

    @Test
    void pausedRouterIsHeldUntilResumed() throws Exception {
        PnpDevice paused = new PnpDevice();
        paused.setMetadata(new ObjectMetaBuilder().withName("fgl0000pau1").withNamespace(client.getNamespace()).build());
        paused.setSpec(new PnpDeviceSpec("FGL0000PAU1", "default", Map.of(), true));
        client.resource(paused).create();
        endpoint = start("register");
        PnpAgent agent = agent("FGL0000PAU1", endpoint.deviceUrl());
        CompletableFuture<PnpAgent.Result> running = CompletableFuture.supplyAsync(() -> run(agent, 60));

        PnpDevice held = await("fgl0000pau1", d -> d.getStatus() != null);
        assertThat(held.getStatus().phase()).isEqualTo(DevicePhase.PENDING);
        assertThat(held.getStatus().lastError()).isEqualTo("paused: spec.paused of PnpDevice fgl0000pau1 is true");
        Routers.awaitMoreContacts(agent, 3);
        assertThat(agent.router().executed()).as("asked nothing while paused").containsOnlyKeys("backoff");

        // As kubectl patch --type=merge: the endpoint's status writes meanwhile cannot make it fail.
        client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName("fgl0000pau1")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":false}}");
        assertThat(running.get(60, TimeUnit.SECONDS).finished()).isTrue();
    }

    @Test
    void routerWhoseProfileIsMissingOrNotReadyWaitsWithTheReason() throws Exception {
        register("FGL0000MIS1", "nowhere", Map.of());
        PnpProfile notReady = createProfile("unready");
        notReady.setStatus(new PnpProfileStatus(false, List.of(), null, List.of(new io.fabric8.kubernetes.api.model
                .ConditionBuilder().withType("ArtifactsReady").withStatus("False").withReason("Missing")
                .withMessage("images/" + Lab.IMAGE + " not found on volume pnp-artifacts").build()), 1L, null));
        client.resource(notReady).updateStatus();
        register("FGL0000NRD1", "unready", Map.of());
        endpoint = start("register");

        assertThat(run(agent("FGL0000MIS1", endpoint.deviceUrl()), 2).finished()).isFalse();
        assertThat(run(agent("FGL0000NRD1", endpoint.deviceUrl()), 2).finished()).isFalse();
        assertThat(device("fgl0000mis1").getStatus().lastError()).isEqualTo("profile nowhere not found in namespace " + client.getNamespace());
        assertThat(device("fgl0000mis1").getStatus().phase()).isEqualTo(DevicePhase.PENDING);
        assertThat(device("fgl0000nrd1").getStatus().lastError())
                .isEqualTo("profile unready is not ready: images/" + Lab.IMAGE + " not found on volume pnp-artifacts");
    }

    @Test
    void twoEndpointsShareTheFleetAndNoTransitionIsLostOrAppliedTwice() throws Exception {
        endpoint = start("register");
        try (PnpServer second = PnpServer.start(lab, args("register"))) {
            List<URI> both = List.of(endpoint.deviceUrl(), second.deviceUrl());
            List<PnpAgent> agents = java.util.stream.IntStream.rangeClosed(1, 20)
                    .mapToObj(i -> Routers.routerOf(String.format("TWO%05d", i), both, ROUTER)).toList();
            long auditMark = cluster.auditLog().mark();
            List<CompletableFuture<PnpAgent.Result>> runs = agents.stream()
                    .map(a -> CompletableFuture.supplyAsync(() -> run(a, 90))).toList();
            for (CompletableFuture<PnpAgent.Result> r : runs) {
                assertThat(r.get(90, TimeUnit.SECONDS).finished()).isTrue();
            }
            ApiCalls calls = ApiCalls.since(cluster, auditMark, client.getNamespace());
            for (PnpAgent agent : agents) {
                PnpDevice device = device(agent.router().serial().toLowerCase());
                assertThat(device.getStatus().history()).extracting(PnpDeviceStatus.HistoryEntry::sequence)
                        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, Routers.TRANSITIONS).boxed().toList());
                assertThat(agent.router().completed()).containsEntry("image-install", 1).containsEntry("file-transfer", 2)
                        .containsEntry("config-upgrade", 1).containsEntry("cli-config", 1);
            }
            double conflicts = endpoint.metric("pnp_store_conflicts_total") + second.metric("pnp_store_conflicts_total");
            int transitions = agents.size() * Routers.TRANSITIONS;
            int exchanges = agents.stream().mapToInt(a -> a.router().executed().values().stream()
                    .mapToInt(Integer::intValue).sum() * 2).sum();
            System.out.printf("API calls for %d routers (%d transitions, %d exchanges) on two endpoints: %s, "
                    + "write conflicts %.0f; per transition: %.2f status writes (%.2f accepted), per exchange: %.3f reads%n",
                    agents.size(), transitions, exchanges, calls, conflicts, calls.statusWrites() / (double) transitions,
                    (calls.statusWrites() - calls.conflicts()) / (double) transitions, calls.gets() / (double) exchanges);
            double implied = endpoint.metric("pnp_store_implied_requests_total")
                    + second.metric("pnp_store_implied_requests_total");
            assertThat(calls.gets()).as("API reads: one per router and replica at first contact, one per conflict, "
                    + "one to confirm each request not written").isLessThanOrEqualTo(2 * agents.size() + (int) conflicts
                    + (int) implied);
            assertThat(calls.creates()).isEqualTo(agents.size());
        }
    }

    @Test
    void newRoutersGetTheProfileTheRulesGiveTheirModelAndATieIsHeldNamingBoth() throws Exception {
        matching(createProfile("isr1k"), new ProfileMatch(List.of("C11*"), null, null));
        matching(createProfile("pilot"), new ProfileMatch(List.of("C1131-*"), List.of("FGL25*"), 10));
        matching(createProfile("c1111"), new ProfileMatch(List.of("C1111-*"), null, null));
        endpoint = start("register");

        assertThat(run(agent("FGL2548L0AW", endpoint.deviceUrl()), 60).finished()).isTrue();
        assertThat(run(agent("FGL1111ISR1", endpoint.deviceUrl()), 60).finished()).isTrue();
        assertThat(run(agent("FDO0000C8K1", endpoint.deviceUrl(), ROUTER.withPid("C8200-1N-4T")), 60).finished())
                .isTrue();
        assertThat(device("fgl2548l0aw").getSpec().profile()).as("the higher priority").isEqualTo("pilot");
        assertThat(device("fgl1111isr1").getSpec().profile()).isEqualTo("isr1k");
        assertThat(device("fdo0000c8k1").getSpec().profile()).as("no rule: the default").isEqualTo("default");

        PnpAgent tied = agent("FGL0000TIE1", endpoint.deviceUrl(), ROUTER.withPid("C1111-8P"));
        assertThat(run(tied, 2).finished()).isFalse();
        PnpDevice held = device("fgl0000tie1");
        assertThat(held.getSpec().profile()).isNull();
        assertThat(held.getStatus().lastError()).isEqualTo("profiles c1111 and isr1k both match PID C1111-8P: give one "
                + "of them a higher spec.match.priority, or set spec.profile of PnpDevice fgl0000tie1");
        assertThat(tied.router().executed()).containsOnlyKeys("backoff");
    }

    @Test
    void theReprovisionAnnotationStartsAProvisionedRouterOverOncePerValue() throws Exception {
        endpoint = start("register");
        PnpAgent agent = agent("FGL0000AGN1", endpoint.deviceUrl());
        assertThat(run(agent, 60).finished()).isTrue();

        annotate("fgl0000agn1", Map.of(PnpDeviceStatus.REPROVISION, "2026-11-30"));
        await("fgl0000agn1", d -> "2026-11-30".equals(d.getStatus().reprovisioned()));
        PnpDevice restarted = device("fgl0000agn1");
        assertThat(restarted.getStatus().step()).isEqualTo(DeviceStep.NEW_DEVICE);
        assertThat(restarted.getStatus().phase()).isEqualTo(DevicePhase.PROVISIONING);
        assertThat(restarted.getStatus().history()).last().satisfies(h -> {
            assertThat(h.from()).isEqualTo(DeviceStep.FINISHED);
            assertThat(h.work()).isEqualTo("reprovision");
            assertThat(h.result()).endsWith("(pnp.pnpoperator.io/reprovision=2026-11-30)");
        });
        awaitEvent("fgl0000agn1", "Reprovisioned", "FINISHED → NEW_DEVICE (reprovision fabric8-kubernetes-client (pnp.pnpoperator.io/reprovision=2026-11-30))");

        assertThat(run(agent, 60).finished()).as("provisioned again at its next contact").isTrue();
        assertThat(agent.router().completed()).containsEntry("config-upgrade", 2).containsEntry("cli-config", 2);
        int transitions = device("fgl0000agn1").getStatus().history().size();

        annotate("fgl0000agn1", Map.of(PnpDeviceStatus.REPROVISION, "2026-11-30", "unrelated", "edit"));
        annotate("fgl0000agn1", Map.of(PnpDeviceStatus.REPROVISION, "second", PnpDeviceStatus.REPROVISION_FROM,
                "CONFIG_START"));
        await("fgl0000agn1", d -> "second".equals(d.getStatus().reprovisioned()));
        assertThat(device("fgl0000agn1").getStatus().history()).as("the same value again did nothing")
                .hasSize(transitions + 1).last().satisfies(h -> assertThat(h.to()).isEqualTo(DeviceStep.CONFIG_START));
        assertThat(run(agent, 60).finished()).isTrue();
        assertThat(agent.router().completed()).as("from CONFIG_START: no image again")
                .containsEntry("config-upgrade", 3).containsEntry("image-install", 1);

        annotate("fgl0000agn1", Map.of(PnpDeviceStatus.REPROVISION, "third", PnpDeviceStatus.REPROVISION_FROM, "NOWHERE"));
        awaitEvent("fgl0000agn1", "ReprovisionRefused", "pnp.pnpoperator.io/reprovision-from 'NOWHERE' is not a step: "
                + "give one of " + java.util.Arrays.toString(DeviceStep.values()));
        assertThat(device("fgl0000agn1").getStatus().phase()).isEqualTo(DevicePhase.PROVISIONED);
    }

    private void annotate(String name, Map<String, String> annotations) {
        client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName(name).edit(d -> {
            Map<String, String> all = new java.util.HashMap<>(d.getMetadata().getAnnotations() == null ? Map.of()
                    : d.getMetadata().getAnnotations());
            all.putAll(annotations);
            d.getMetadata().setAnnotations(all);
            return d;
        });
    }

    @Test
    void fiftyRoutersOnTwoEndpointsNeverInstallMoreImagesAtOnceThanTheRolloutAllows() throws Exception {
        PnpProfile profile = client.resources(PnpProfile.class).inNamespace(client.getNamespace()).withName("default").get();
        profile.setSpec(profile.getSpec().withRollout(new Rollout(null, 5)));
        client.resource(profile).update();
        // 50 routers from one address at once: the per-address limits are for the field, not for this bench
        String[] many = args("register", "--pnp.limits.requests-per-address=500",
                "--pnp.limits.registrations-per-minute=500");
        endpoint = PnpServer.start(lab, many);
        try (PnpServer second = PnpServer.start(lab, many)) {
            List<URI> both = List.of(endpoint.deviceUrl(), second.deviceUrl());
            List<PnpAgent> agents = java.util.stream.IntStream.rangeClosed(1, 50)
                    .mapToObj(i -> Routers.routerOf(String.format("ROL%05d", i), both, ROUTER)).toList();
            List<CompletableFuture<PnpAgent.Result>> runs = agents.stream()
                    .map(a -> CompletableFuture.supplyAsync(() -> run(a, 120))).toList();
            double mostWaiting = 0;
            while (!runs.stream().allMatch(CompletableFuture::isDone)) {
                mostWaiting = Math.max(mostWaiting, endpoint.metric("pnp_image_installs_waiting"));
                Thread.sleep(50);
            }
            for (CompletableFuture<PnpAgent.Result> r : runs) {
                assertThat(r.get().finished()).isTrue();
            }

            List<Instant[]> installs = Routers.installs(agents);
            int most = Routers.mostAtOnce(installs);
            System.out.printf("50 routers, two endpoints, maxConcurrentImageInstalls 5: at most %d installs at once, "
                    + "at most %.0f routers waiting in line%n", most, mostWaiting);
            assertThat(installs).hasSize(50);
            assertThat(most).as("installs at once, as the routers saw them").isEqualTo(5);
            assertThat(mostWaiting).as("routers were made to wait").isPositive();
            assertThat(agents).allSatisfy(a -> assertThat(a.router().completed()).containsEntry("image-install", 1));
            assertThat(device("rol00050").getStatus().inLine()).as("no longer in line").isNull();
        }
    }

    @Test
    void aProfileAnnotatedForADryRunIsTriedOnEachModelInsideTheEndpointLeavingNoDevices() throws Exception {
        PnpProfile profile = client.resources(PnpProfile.class).inNamespace(client.getNamespace()).withName("default").get();
        PnpProfileSpec s = profile.getSpec();
        profile.setSpec(new PnpProfileSpec(s.configRegister(), null, List.of(new PlatformImage(List.of("C11*"),
                s.image())), s.config(), s.files(), s.guestshell(), s.credentialsSecret(), s.identity(), null, null,
                null));
        client.resource(profile).update();
        endpoint = start("register");

        client.resources(PnpProfile.class).inNamespace(client.getNamespace()).withName("default").edit(p -> {
            p.getMetadata().setAnnotations(Map.of(ProfileDryRun.ANNOTATION, "C1131-8PWB,ISR4331/K9"));
            return p;
        });
        Instant until = Instant.now().plusSeconds(30);
        Optional<io.fabric8.kubernetes.api.model.Event> report = Optional.empty();
        while (report.isEmpty()) {
            assertThat(Instant.now()).as("a DryRun Event on the profile").isBefore(until);
            Thread.sleep(50);
            report = client.v1().events().inNamespace(client.getNamespace()).list().getItems().stream()
                    .filter(e -> e.getInvolvedObject().getName().equals("default") && e.getReason().equals("DryRun"))
                    .findFirst();
        }
        System.out.println("DryRun Event: " + report.get().getMessage());
        assertThat(report.get().getType()).isEqualTo("Warning");
        assertThat(report.get().getMessage()).startsWith("dry run of C1131-8PWB,ISR4331/K9: C1131-8PWB: provisioned, "
                + "image " + Lab.IMAGE + ", running 17.14.01a, " + Routers.TRANSITIONS + " transitions, day-0 config of ")
                .contains("; ISR4331/K9: stops at NEW_DEVICE (Pending): no image for platform ISR4331/K9 in profile "
                        + "default", "no image installed, running 17.06.01a");
        assertThat(client.resources(PnpDevice.class).inNamespace(client.getNamespace()).list().getItems())
                .as("the dry run's routers are not the fleet's").isEmpty();
    }

    private void matching(PnpProfile profile, ProfileMatch match) {
        profile.setSpec(profile.getSpec().withMatch(match));
        client.resource(profile).update();
    }

    private PnpServer start(String unknownDevices) {
        return PnpServer.start(lab, args(unknownDevices));
    }

    private String[] args(String unknownDevices, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(args(client, lab, unknownDevices)),
                java.util.Arrays.stream(more)).toArray(String[]::new);
    }

    /** The endpoint in kubernetes mode, in the test's namespace; it finds the cluster as any program does (kubeconfig). */
    static String[] args(KubernetesClient client, Lab lab, String unknownDevices) {
        return new String[] {"--pnp.mode=kubernetes", "--pnp.kubernetes.namespace=" + client.getNamespace(), "--pnp.artifacts-dir=" + lab.path(""),
            "--pnp.unknown-devices=" + unknownDevices};
    }

    private PnpProfile createProfile(String name) throws Exception {
        return createProfile(client, lab, name);
    }

    static PnpProfile createProfile(KubernetesClient client, Lab lab, String name) throws Exception {
        return createProfile(client, lab, name, null);
    }

    /**
     * A ready profile made of the lab's profile, as the operator would leave it (artifacts and their MD5s,
     * and {@code published}: the ConfigMap it published, or null before it has).
     */
    static PnpProfile createProfile(KubernetesClient client, Lab lab, String name, String published) throws Exception {
        PnpProfile profile = client.getKubernetesSerialization().unmarshal(new ByteArrayInputStream(
                Lab.PROFILE.getBytes(StandardCharsets.UTF_8)), PnpProfile.class);
        PnpProfileSpec spec = profile.getSpec();
        profile.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(client.getNamespace()).build());
        profile.setSpec(new PnpProfileSpec(spec.configRegister(), spec.image(), new DayZeroConfig("default.cfg", true,
                "lab-configs"), spec.files(), spec.guestshell(), spec.credentialsSecret()));
        PnpProfile created = client.resource(profile).create();
        created.setStatus(new PnpProfileStatus(true, List.of(
                artifact(lab, Lab.IMAGE, "images/" + Lab.IMAGE), artifact(lab, Lab.PACKAGE, "files/" + Lab.PACKAGE),
                artifact(lab, Lab.SCRIPT, "files/" + Lab.SCRIPT)), published, List.of(), 1L, null));
        return client.resource(created).updateStatus();
    }

    private static PnpProfileStatus.ArtifactStatus artifact(Lab lab, String name, String path) throws Exception {
        byte[] content = Files.readAllBytes(lab.path(path));
        return new PnpProfileStatus.ArtifactStatus(name, true, (long) content.length,
                HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content)), null);
    }

    private void register(String serial, String profile, Map<String, String> variables) {
        PnpDevice device = new PnpDevice();
        device.setMetadata(new ObjectMetaBuilder().withName(serial.toLowerCase()).withNamespace(client.getNamespace()).build());
        device.setSpec(new PnpDeviceSpec(serial, profile, variables, false));
        client.resource(device).create();
    }

    private static PnpAgent agent(String serial, URI server) {
        return Routers.router(serial, server, ROUTER);
    }

    private static PnpAgent agent(String serial, URI server, DeviceOptions options) {
        return Routers.router(serial, server, options);
    }

    private static PnpAgent.Result run(PnpAgent agent, int seconds) {
        return Routers.run(agent, seconds);
    }

    /** As {@code kubectl patch pnpdevice <name> --subresource=status --type=merge} sends it. */
    private void kubectlPatch(String name, String step) {
        client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName(name).subresource("status")
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager("kubectl-patch")
                        .build(), "{\"status\":{\"step\":\"" + step + "\"}}");
    }

    private void awaitEvent(String name, String reason, String message) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        while (client.v1().events().inNamespace(client.getNamespace()).list().getItems().stream().noneMatch(e ->
                e.getInvolvedObject().getName().equals(name) && e.getReason().equals(reason)
                        && e.getMessage().equals(message))) {
            assertThat(Instant.now()).as("Event " + reason + " " + message).isBefore(until);
            Thread.sleep(20);
        }
    }

    private PnpDevice device(String name) {
        return client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName(name).get();
    }

    private PnpDevice await(String name, Predicate<PnpDevice> condition) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(until)) {
            PnpDevice d = device(name);
            if (d != null && condition.test(d)) {
                return d;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(name + " never reached the expected state: " + device(name));
    }
}
