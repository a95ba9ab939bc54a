package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.device.PnpDeviceSpec;
import io.pnpoperator.testcluster.WithCluster;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import io.pnpoperator.endpoint.workflow.StepMoves;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The moves a person may make are written twice — in Java for the admin API and the endpoint, in CEL in the
 * PnpDevice CRD for the API server — and must say the same: every step to every step, in each phase a person
 * meets, with and without a request in flight, edited as kubectl patch does and compared with {@link StepMoves}.
 */
@WithCluster
class StepMovesTest {

    KubernetesClient client;

    @Test
    void theCrdsRulesAndTheEndpointAgreeOnEveryMove() throws Exception {
        // A device per phase, edited side by side: the API server's answers are what takes the time.
        List<Phase> phases = List.of(Phase.PROVISIONING, Phase.FAILED, Phase.BLOCKED, Phase.PROVISIONED, Phase.HELD);
        List<String> disagreements = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService editors = java.util.concurrent.Executors.newFixedThreadPool(phases.size());
        List<java.util.concurrent.Future<Integer>> tried = new ArrayList<>();
        for (Phase phase : phases) {
            String name = "fgl0000mov" + (phases.indexOf(phase) + 1);
            PnpDevice device = new PnpDevice();
            device.setMetadata(new ObjectMetaBuilder().withName(name).build());
            device.setSpec(new PnpDeviceSpec(name.toUpperCase(), null, null, null));
            client.resource(device).create();
            tried.add(editors.submit(() -> {
                int moves = 0;
                for (Step from : Step.values()) {
                    for (boolean awaiting : List.of(false, true)) {
                        moves += everyMoveFrom(name, phase, from, awaiting, disagreements);
                    }
                }
                return moves;
            }));
        }
        int moves = 0;
        for (java.util.concurrent.Future<Integer> phase : tried) {
            moves += phase.get();
        }
        editors.shutdown();
        assertThat(moves).isEqualTo(5 * Step.values().length * 2 * Step.values().length);
        assertThat(disagreements).isEmpty();
    }

    /** Every move from one state, as a person edits it; the moves tried. */
    private int everyMoveFrom(String device, Phase phase, Step from, boolean awaiting, List<String> disagreements) {
        // As the endpoint writes it: the step, the same step as the one it last wrote, a request in flight or not.
        String written = "{\"status\":{\"phase\":\"" + phase.label() + "\",\"step\":\"" + from + "\",\"exchange\":"
                + "{\"step\":\"" + from + "\",\"pendingCorrelator\":" + (awaiting ? "\"c-1\"" : "null") + "}}}";
        assertThat(patchStatus(device, written, "pnp-endpoint").code()).isEqualTo(200);
        for (Step to : Step.values()) {
            // As a person edits it: the step alone, on the status subresource. An accepted move is undone.
            Edit edit = patchStatus(device, "{\"status\":{\"step\":\"" + to + "\"}}", "kubectl-patch");
            boolean accepted = edit.code() == 200;
            if (accepted) {
                patchStatus(device, "{\"status\":{\"step\":\"" + from + "\"}}", "pnp-endpoint");
            }
            Optional<String> refusal = StepMoves.refusal(from, to, phase, awaiting);
            if (accepted != refusal.isEmpty()) {
                disagreements.add(phase + (awaiting ? " awaiting " : " ") + from + " → " + to + ": API server "
                        + (accepted ? "accepts" : "refuses") + ", endpoint " + (refusal.isEmpty() ? "allows" : "refuses")
                        + " " + edit.body());
            } else if (!accepted) {
                assertThat(edit.body()).contains(refusal.get());
            }
        }
        return Step.values().length;
    }

    /** How the API server answered an edit: 200, or its refusal's code and message. */
    private record Edit(int code, String body) {
    }

    /** A merge patch of the status subresource, as {@code kubectl patch --subresource=status --type=merge}. */
    private Edit patchStatus(String device, String patch, String fieldManager) {
        try {
            client.resources(PnpDevice.class).withName(device).subresource("status").patch(
                    new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(fieldManager)
                            .build(), patch);
            return new Edit(200, "");
        } catch (KubernetesClientException e) {
            return new Edit(e.getCode(), e.getMessage());
        }
    }
}
