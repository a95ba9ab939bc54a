package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.WithCluster;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceSpec;
import io.pnpoperator.endpoint.protocol.Udi;
import io.pnpoperator.endpoint.store.ConcurrentUpdateException;
import io.pnpoperator.endpoint.store.DeviceStore;
import io.pnpoperator.endpoint.provisioning.InstallSlots;
import io.pnpoperator.endpoint.workflow.Change;
import io.pnpoperator.endpoint.workflow.Contact;
import io.pnpoperator.endpoint.workflow.Device;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.Transition;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PnpDevice resources as the device store, on the real control plane with the project's CRDs. */
@WithCluster
class KubernetesDeviceStoreTest {

    static final Instant T0 = Instant.parse("2026-11-24T08:00:00Z");

    KubernetesClient client;
    KubernetesDeviceStore store;

    @BeforeEach
    void store() {
        store = newStore(client);
    }

    KubernetesDeviceStore newStore(KubernetesClient kubernetes) {
        KubernetesClient endpointClient = Cluster.asTheEndpoint(kubernetes);
        return new KubernetesDeviceStore(endpointClient, client.getNamespace(), Cluster.deviceInformer(endpointClient),
                Cluster.profileRules(endpointClient, "isr1k"), Clock.systemUTC(), new DeviceEvents(endpointClient));
    }

    @Test
    void firstContactCreatesADiscoveredDeviceWithItsStatus() throws Exception {
        Device fresh = discovered("FGL2548L0AW");
        Device device = fresh.with(new Device.Observation(Optional.of("17.6.1a"), Optional.of("bootflash:x.bin"),
                        OptionalLong.of(612368384L), Optional.of("NONE"), false, false))
                .with(new Device.Exchange(Optional.of(new Device.Pending("c-1",
                        io.pnpoperator.endpoint.protocol.Service.CLI_CONFIG)), Optional.empty(), Optional.empty(), true,
                        Optional.of("c7a1d0e2"), Optional.of("PID:C1131-8PWB SN:FGL2548L0AW"), true))
                .with(new Device.Progress(Step.CHECK_GUESTSHELL, Phase.PROVISIONING, 1, Optional.of("late"), T0,
                        Optional.empty(), 4, true,
                        Optional.of(new Device.Waiting(Step.ENABLE_GUESTSHELL, T0))));
        store.save(Optional.empty(), new Change(device, List.of()));

        PnpDevice resource = client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName("fgl2548l0aw").get();
        assertThat(resource.getSpec()).isEqualTo(new PnpDeviceSpec("FGL2548L0AW", "isr1k", null, null));
        assertThat(resource.getMetadata().getLabels()).containsEntry(KubernetesDeviceStore.DISCOVERED_LABEL, "true");
        assertThat(resource.getStatus().step()).isEqualTo(DeviceStep.CHECK_GUESTSHELL);
        assertThat(resource.getStatus().identity().udi()).isEqualTo("PID:C1131-8PWB,VID:V01,SN:FGL2548L0AW");
        assertThat(store.find("FGL2548L0AW").map(DeviceStore.Stored::device)).as("every part comes back as written")
                .contains(device.with(new Device.Identity("FGL2548L0AW", "C1131-8PWB", "V01", "Router", "10.0.0.7", T0, T0,
                        "isr1k")));
    }

    @Test
    void twoReplicasAdmittingTwentyRoutersAtOnceLetExactlyTheLimitThrough() throws Exception {
        List<String> serials = java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> String.format("SLT%05d", i))
                .toList();
        Instant now = Instant.now();
        for (String serial : serials) {
            Device d = discovered(serial);
            store.save(Optional.empty(), new Change(d.with(d.progress().at(Step.UPGRADE_NEEDED, now)), List.of()));
        }
        KubernetesDeviceStore other = newStore(client);
        List<InstallSlots> replicas = List.of(new LeaseInstallSlots(Cluster.asTheEndpoint(client), client.getNamespace(), "slots", store),
                new LeaseInstallSlots(Cluster.asTheEndpoint(client), client.getNamespace(), "slots", other));

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(20);
        List<java.util.concurrent.Future<InstallSlots.Admission>> asked = new java.util.ArrayList<>();
        for (int i = 0; i < serials.size(); i++) {
            InstallSlots replica = replicas.get(i % 2);
            String serial = serials.get(i);
            asked.add(pool.submit(() -> replica.admit("isr1k", serial, 5, now)));
        }
        List<InstallSlots.Admission> admissions = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<InstallSlots.Admission> a : asked) {
            admissions.add(a.get());
        }
        pool.shutdown();

        assertThat(admissions).filteredOn(a -> a instanceof InstallSlots.Admitted).hasSize(5);
        assertThat(admissions).filteredOn(a -> a instanceof InstallSlots.InLine).hasSize(15)
                .allSatisfy(a -> assertThat(((InstallSlots.InLine) a).inUse()).isEqualTo(5));
        assertThat(client.leases().inNamespace(client.getNamespace()).withName("slots").get()
                .getMetadata().getAnnotations().get(LeaseInstallSlots.HOLDERS)).as("five holders of isr1k")
                .matches("\\{\"isr1k\":\\{(\"SLT\\d+\":\"[^\"]+\",?){5}}}");
    }

    @Test
    void writeFromAnOldReadIsAConflict() throws Exception {
        store.save(Optional.empty(), new Change(discovered("FGL0000CON1"), List.of()));
        DeviceStore.Stored read = store.find("FGL0000CON1").orElseThrow();
        Device moved = read.device().with(read.device().progress().at(Step.CONFIG_REG, T0));
        store.save(Optional.of(read), new Change(moved, List.of(transition("FGL0000CON1", 1, Step.NEW_DEVICE, Step.CONFIG_REG))));

        assertThatThrownBy(() -> store.save(Optional.of(read), new Change(moved, List.of())))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThat(store.find("FGL0000CON1").orElseThrow().device().step()).isEqualTo(Step.CONFIG_REG);
    }

    @Test
    void aSecondReplicaWritingFromItsOwnReadMakesTheOtherDecideAgain() throws Exception {
        KubernetesDeviceStore other = newStore(client);
        store.save(Optional.empty(), new Change(discovered("FGL0000TWO1"), List.of()));
        awaitSeen(other, "FGL0000TWO1");
        DeviceStore.Stored mine = store.find("FGL0000TWO1").orElseThrow();
        DeviceStore.Stored theirs = other.find("FGL0000TWO1").orElseThrow();
        assertThat(theirs.revision()).isEqualTo(mine.revision());

        other.save(Optional.of(theirs), new Change(tried(theirs.device(), 1), List.of()));
        assertThatThrownBy(() -> store.save(Optional.of(mine), new Change(tried(mine.device(), 2), List.of())))
                .isInstanceOf(ConcurrentUpdateException.class);
        assertThat(store.find("FGL0000TWO1").orElseThrow().device().progress().attempts()).as("re-read after the conflict")
                .isEqualTo(1);
    }

    @Test
    void conditionsOfOtherWritersAreKept() throws Exception {
        store.save(Optional.empty(), new Change(discovered("FGL0000OWN1"), List.of()));
        client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName("fgl0000own1").subresource("status")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON), "[{\"op\":\"add\",\"path\":"
                        + "\"/status/conditions/-\",\"value\":{\"type\":\"Stalled\",\"status\":\"True\","
                        + "\"reason\":\"NoContact\",\"message\":\"no contact for 2h\"}}]");
        awaitCondition(store, "FGL0000OWN1", "Stalled");
        DeviceStore.Stored read = store.find("FGL0000OWN1").orElseThrow();
        store.save(Optional.of(read), new Change(tried(read.device(), 1), List.of()));
        assertThat(client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName("fgl0000own1").get()
                .getStatus().conditions()).extracting(io.fabric8.kubernetes.api.model.Condition::getType)
                .containsExactly("ProfileResolved", "Ready", "Stalled");
    }

    @Test
    void historyKeepsTheLatestFiftyTransitions() throws Exception {
        Device device = discovered("FGL0000HIS1");
        store.save(Optional.empty(), new Change(device, List.of()));
        List<Transition> many = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            many.add(transition("FGL0000HIS1", i, Step.WAIT_FOR_GUESTSHELL, Step.CHECK_GUESTSHELL));
        }
        DeviceStore.Stored read = store.find("FGL0000HIS1").orElseThrow();
        store.save(Optional.of(read), new Change(device, many));
        assertThat(store.history("FGL0000HIS1")).hasSize(50).first().satisfies(t -> assertThat(t.sequence()).isEqualTo(11));
    }

    @Test
    void preRegisteredDeviceKeepsItsSpecWhenFirstSeen() throws Exception {
        PnpDevice registered = new PnpDevice();
        registered.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("fgl0000reg1")
                .withNamespace(client.getNamespace()).build());
        registered.setSpec(new PnpDeviceSpec("FGL0000REG1", "branch", Map.of("hostname", "branch-7"), false));
        client.resource(registered).create();
        awaitResource(store, "FGL0000REG1");
        assertThat(store.find("FGL0000REG1")).as("known, but not begun").isEmpty();

        store.save(Optional.empty(), new Change(discovered("FGL0000REG1"), List.of()));
        PnpDevice after = client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName("fgl0000reg1").get();
        assertThat(after.getSpec().profile()).isEqualTo("branch");
        assertThat(after.getSpec().variables()).containsEntry("hostname", "branch-7");
        assertThat(after.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(after.getStatus().step()).isEqualTo(DeviceStep.NEW_DEVICE);
    }

    @Test
    void statusEditByAPersonIsWhatTheNextReadSees() throws Exception {
        Device fresh = discovered("FGL0000BLK1");
        Device blocked = fresh.with(fresh.progress().at(Step.BOOTFLASH_NO_SPACE, T0).in(Phase.BLOCKED));
        store.save(Optional.empty(), new Change(blocked, List.of()));
        assertThat(client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName("fgl0000blk1").get()
                .getStatus().conditions()).anySatisfy(c -> {
                    assertThat(c.getType()).isEqualTo("Ready");
                    assertThat(c.getStatus()).isEqualTo("False");
                    assertThat(c.getReason()).isEqualTo("BootflashNoSpace");
                });

        // kubectl patch pnpdevice fgl0000blk1 --subresource=status --type=merge -p '{"status":{"step":"RUN_EVENT_MANAGER"}}'
        client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName("fgl0000blk1").subresource("status")
                .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                        io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        "{\"status\":{\"step\":\"RUN_EVENT_MANAGER\"}}");
        Instant until = Instant.now().plusSeconds(10);
        while (store.find("FGL0000BLK1").orElseThrow().device().step() != Step.RUN_EVENT_MANAGER) {
            assertThat(Instant.now()).as("informer saw the edit").isBefore(until);
            Thread.sleep(10);
        }
    }

    private static Device discovered(String serial) {
        Device fresh = Device.discovered(new Udi("C1131-8PWB", "V01", serial), "Router", new Contact("10.0.0.7", T0, null));
        return fresh.with(fresh.observed().withBootflashFree(1L));
    }

    private static Device tried(Device device, int attempts) {
        return device.with(device.progress().tried(attempts, Optional.of("try " + attempts)));
    }

    private static Transition transition(String serial, long sequence, Step from, Step to) {
        return new Transition(serial, sequence, from, to, Phase.PROVISIONING, "cli-exec", Optional.of("c"), "success",
                Optional.empty(), T0);
    }

    private static void awaitSeen(KubernetesDeviceStore store, String serial) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        while (store.find(serial).isEmpty()) {
            assertThat(Instant.now()).isBefore(until);
            Thread.sleep(10);
        }
    }

    private static void awaitCondition(KubernetesDeviceStore store, String serial, String type)
            throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        while (store.resource(serial).map(r -> r.getStatus().conditions().stream().noneMatch(c -> c.getType().equals(type)))
                .orElse(true)) {
            assertThat(Instant.now()).isBefore(until);
            Thread.sleep(10);
        }
    }

    private static void awaitResource(KubernetesDeviceStore store, String serial) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(10);
        while (store.resource(serial).isEmpty()) {
            assertThat(Instant.now()).isBefore(until);
            Thread.sleep(10);
        }
    }
}
