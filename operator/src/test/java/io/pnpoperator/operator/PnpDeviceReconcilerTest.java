package io.pnpoperator.operator;

import static io.pnpoperator.operator.TestProfiles.IMAGE;
import static io.pnpoperator.operator.TestProfiles.awaitTrue;
import static io.pnpoperator.operator.TestProfiles.profile;
import static io.pnpoperator.operator.TestProfiles.templates;
import static io.pnpoperator.operator.TestProfiles.volume;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pnpoperator.testcluster.WithCluster;
import io.pnpoperator.toolkit.kubernetes.Conditions;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceSpec;
import io.pnpoperator.crds.device.PnpDeviceStatus;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device conditions (Stalled, ProfileResolved) from the real operator on the real control plane, beside the endpoint's fields. */
@WithCluster
class PnpDeviceReconcilerTest {

    KubernetesClient client;
    @TempDir
    Path volume;
    PnpOperator operator;

    @BeforeEach
    void start() {
        operator = new PnpOperator(TestProfiles.ownClient(client), OperatorSettings.forNamespace(client.getNamespace(), volume, "test"));
        operator.start();
    }

    @AfterEach
    void stop() {
        operator.close();
    }

    @Test
    void silentProvisioningDeviceIsMarkedStalledAndKeepsTheEndpointsFields() throws Exception {
        device("fgl0000sil1", DevicePhase.PROVISIONING, DeviceStep.CONFIG_START, Duration.ofHours(2));
        PnpDevice stalled = awaitStalled("fgl0000sil1");
        Condition condition = stalled.getStatus().conditions().stream().filter(c -> c.getType().equals("Stalled"))
                .findFirst().orElseThrow();
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getMessage()).isEqualTo("no contact for 120 min in step CONFIG_START (allowed 15 min): "
                + "check the router's power and path to the PnP server");
        assertThat(condition.getObservedGeneration()).isEqualTo(stalled.getMetadata().getGeneration());
        assertThat(stalled.getStatus().conditions()).extracting(Condition::getType).startsWith("Ready");
        assertThat(stalled.getStatus().step()).isEqualTo(DeviceStep.CONFIG_START);
        assertThat(stalled.getStatus().attempts()).isEqualTo(2);
        // The Event follows the condition; the gauge counts from the operator's cache.
        awaitTrue(() -> hasEvent("fgl0000sil1", "Stalled"));
        awaitTrue(() -> metrics().contains("pnp_devices_stalled 1.0"));
    }

    @Test
    void aSilentDeviceWithAPhaseAndNoStepIsStalledToo() throws Exception {
        device("fgl0000nst1", DevicePhase.PROVISIONING, null, Duration.ofHours(2));
        Condition stalled = Conditions.find(awaitStalled("fgl0000nst1").getStatus().conditions(), "Stalled").orElseThrow();
        assertThat(stalled.getMessage()).isEqualTo("no contact for 120 min (allowed 15 min): check the router's power "
                + "and path to the PnP server");
    }

    @Test
    void aDeviceTheEndpointBlockedIsStalledForTheReasonItsReadyConditionGives() throws Exception {
        device("fgl0000blk1", DevicePhase.BLOCKED, DeviceStep.BOOTFLASH_NO_SPACE, Duration.ofMinutes(1));
        Condition stalled = Conditions.find(awaitStalled("fgl0000blk1").getStatus().conditions(), "Stalled").orElseThrow();
        assertThat(stalled.getStatus()).isEqualTo("True");
        assertThat(stalled.getReason()).isEqualTo("BootflashNoSpace");
        assertThat(stalled.getMessage()).isEqualTo("bootflash has 1000 bytes free; free space, then set status.step to "
                + "RUN_EVENT_MANAGER");
        awaitTrue(() -> hasEvent("fgl0000blk1", "Stalled"));
        assertThat(metrics()).as("the gauge counts routers that stopped calling").contains("pnp_devices_stalled 0.0");
    }

    @Test
    void devicesThatAreFineAreLeftAlone() throws Exception {
        device("fgl0000rec1", DevicePhase.PROVISIONING, DeviceStep.CONFIG_START, Duration.ofMinutes(1));
        device("fgl0000img1", DevicePhase.PROVISIONING, DeviceStep.UPGRADE_INPROGRESS, Duration.ofMinutes(20));
        device("fgl0000fin1", DevicePhase.PROVISIONED, DeviceStep.FINISHED, Duration.ofDays(3));
        device("fgl0000sil2", DevicePhase.PROVISIONING, DeviceStep.CHECK_GUESTSHELL, Duration.ofHours(1));
        awaitStalled("fgl0000sil2");
        for (String name : List.of("fgl0000rec1", "fgl0000img1", "fgl0000fin1")) {
            assertThat(get(name).getStatus().conditions()).as(name).extracting(Condition::getType)
                    .doesNotContain("Stalled");
        }
    }

    @Test
    void aDeviceRegisteredAheadIsToldWhetherItsProfileCanProvisionIt() throws Exception {
        PnpDevice device = new PnpDevice();
        device.setMetadata(new ObjectMetaBuilder().withName("fgl0000new1").withNamespace(client.getNamespace()).build());
        device.setSpec(new PnpDeviceSpec("FGL0000NEW1", "isr1k", null, null));
        client.resource(device).create();
        Condition missing = awaitProfileResolved("fgl0000new1", "ProfileNotFound");
        assertThat(missing.getStatus()).isEqualTo("False");
        assertThat(missing.getMessage()).isEqualTo("profile isr1k not found in namespace " + client.getNamespace());
        awaitTrue(() -> hasEvent("fgl0000new1", "ProfileNotFound"));

        client.resource(profile("isr1k", "", "default.cfg")).create();
        // First "not checked yet", then the profile's own reason.
        Condition notReady = awaitProfileResolved("fgl0000new1", "ProfileNotReady", "profile isr1k is not ready: images/");
        assertThat(notReady.getMessage()).isEqualTo("profile isr1k is not ready: images/"
                + IMAGE + " not found on volume pnp-artifacts; files/pxs.py not found on volume pnp-artifacts");

        volume(volume, true);
        templates(client, client.getNamespace(), Map.of("default.cfg", "hostname ${hostname}\n"));
        Condition ready = awaitProfileResolved("fgl0000new1", "ProfileReady");
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(get("fgl0000new1").getStatus().phase()).as("the rest of the status is the endpoint's").isNull();
    }

    @Test
    void twoReplicasWithLeaderElectionReconcileOnce() throws Exception {
        try (PnpOperator second = new PnpOperator(TestProfiles.ownClient(client), OperatorSettings.forNamespace(client.getNamespace(), volume, "second"))) {
            second.start();
            device("fgl0000two1", DevicePhase.PROVISIONING, DeviceStep.CONFIG_START, Duration.ofHours(2));
            awaitStalled("fgl0000two1");
            awaitTrue(() -> hasEvent("fgl0000two1", "Stalled"));
            assertThat(metrics(second)).as("the standby has reconciled nothing")
                    .doesNotContainPattern("operator_sdk_reconciliations_started_total\\{[^}]*} [1-9]");
            assertThat(metrics(operator)).containsPattern("operator_sdk_reconciliations_started_total\\{[^}]*} [1-9]");
            assertThat(client.v1().events().inNamespace(client.getNamespace()).list().getItems())
                    .filteredOn(e -> e.getInvolvedObject().getName().equals("fgl0000two1") && e.getReason().equals("Stalled"))
                    .hasSize(1);
            assertThat(client.leases().inNamespace(client.getNamespace()).withName("pnp-operator").get().getSpec().getHolderIdentity())
                    .isEqualTo("test");
        }
    }

    private void device(String name, DevicePhase phase, DeviceStep step, Duration silentFor) {
        PnpDevice device = new PnpDevice();
        device.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(client.getNamespace()).build());
        device.setSpec(new PnpDeviceSpec(name.toUpperCase(), "isr1k", null, null));
        client.resource(device).create();
        String then = Instant.now().minus(silentFor).toString();
        TestProfiles.setStatus(client, name, new PnpDeviceStatus(phase, step, 2, null, then, null, null, null,
                List.of(readyAsTheEndpointWritesIt(phase, then)), 1L,
                new PnpDeviceStatus.Identity("PID:C1131-8PWB,VID:V01,SN:" + name.toUpperCase(), "C1131-8PWB", "Router",
                        "10.0.0.7", then, then),
                new PnpDeviceStatus.Observed("17.14.01a", null, null, null, true, false), List.of(), null));
    }

    private static Condition readyAsTheEndpointWritesIt(DevicePhase phase, String since) {
        boolean blocked = phase == DevicePhase.BLOCKED;
        return new ConditionBuilder().withType("Ready").withStatus(phase == DevicePhase.PROVISIONED ? "True" : "False")
                .withReason(blocked ? "BootflashNoSpace" : phase.toString()).withMessage(blocked ? "bootflash has 1000 "
                        + "bytes free; free space, then set status.step to RUN_EVENT_MANAGER" : "")
                .withLastTransitionTime(since).build();
    }

    private PnpDevice awaitStalled(String name) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(until)) {
            PnpDevice d = get(name);
            if (d.getStatus().conditions().stream().anyMatch(c -> c.getType().equals("Stalled"))) {
                return d;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " was never marked: " + get(name).getStatus());
    }

    private Condition awaitProfileResolved(String name, String reason) throws InterruptedException {
        return awaitProfileResolved(name, reason, "");
    }

    private Condition awaitProfileResolved(String name, String reason, String messageStart) throws InterruptedException {
        Instant until = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(until)) {
            PnpDevice d = get(name);
            Optional<Condition> found = d.getStatus() == null ? Optional.empty()
                    : Conditions.find(d.getStatus().conditions(), "ProfileResolved");
            if (found.filter(c -> c.getReason().equals(reason) && c.getMessage().startsWith(messageStart)).isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " never had ProfileResolved " + reason + ": " + get(name).getStatus());
    }

    private boolean hasEvent(String device, String reason) {
        return client.v1().events().inNamespace(client.getNamespace()).list().getItems().stream()
                .anyMatch(e -> e.getInvolvedObject().getName().equals(device) && e.getReason().equals(reason));
    }

    private String metrics() {
        return metrics(operator);
    }

    private static String metrics(PnpOperator of) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + of.httpPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private PnpDevice get(String name) {
        return client.resources(PnpDevice.class).inNamespace(client.getNamespace()).withName(name).get();
    }
}
