package io.pnpoperator.crds;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.profile.PnpProfile;
import org.junit.jupiter.api.Test;

/**
 * Resources as a newer release writes them, read by this one (two versions run side by side during a rollout, and
 * a rollback runs older programs on a newer CRD): fields it does not know are skipped at every level, and a step or
 * phase it does not know reads as absent, instead of the whole resource failing to read.
 */
class NewerResourcesTest {

    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @Test
    void aDeviceWithNewerFieldsAndStepsReads() {
        PnpDevice device = JSON.unmarshal("""
                {"apiVersion":"pnp.pnpoperator.io/v1alpha1","kind":"PnpDevice","metadata":{"name":"fgl1"},
                 "spec":{"serialNumber":"FGL1","profile":"isr1k","laterSpec":1},
                 "status":{"phase":"Rebooting","step":"NEWER_STEP","laterField":{"x":1},
                   "identity":{"udi":"PID:C1131-8PWB,VID:V01,SN:FGL1","laterToo":"y"},
                   "waiting":{"command":"NEWER_STEP","since":"2026-12-07T10:00:00Z"},
                   "exchange":{"step":"NEWER_STEP","laterExchange":true},
                   "history":[{"sequence":1,"from":"NEW_DEVICE","to":"CONFIG_REG","phase":"Provisioning"},
                              {"sequence":2,"from":"CONFIG_REG","to":"NEWER_STEP","phase":"Rebooting","extra":true}]}}
                """, PnpDevice.class);
        assertThat(device.getSpec().serialNumber()).isEqualTo("FGL1");
        assertThat(device.getStatus().step()).as("a newer step: absent here").isNull();
        assertThat(device.getStatus().phase()).isNull();
        assertThat(device.getStatus().waiting().command()).isNull();
        assertThat(device.getStatus().identity().udi()).isEqualTo("PID:C1131-8PWB,VID:V01,SN:FGL1");
        assertThat(device.getStatus().history()).extracting(h -> h.to()).containsExactly(DeviceStep.CONFIG_REG, null);
    }

    @Test
    void aProfileWithNewerFieldsReads() {
        PnpProfile profile = JSON.unmarshal("""
                {"apiVersion":"pnp.pnpoperator.io/v1alpha1","kind":"PnpProfile","metadata":{"name":"isr1k"},
                 "spec":{"configRegister":"0x2102","laterSpec":{"a":1},
                   "image":{"file":"c1100.bin","version":"17.14.01a","laterImage":2},
                   "rollout":{"paused":false,"laterRollout":"x"}},
                 "status":{"laterStatus":[1,2],"artifacts":[{"name":"images/c1100.bin","laterArtifact":0}]}}
                """, PnpProfile.class);
        assertThat(profile.getSpec().image().file()).isEqualTo("c1100.bin");
        assertThat(profile.getSpec().rollout().paused()).isFalse();
        assertThat(profile.getStatus().artifacts()).singleElement().satisfies(a ->
                assertThat(a.name()).isEqualTo("images/c1100.bin"));
    }
}
