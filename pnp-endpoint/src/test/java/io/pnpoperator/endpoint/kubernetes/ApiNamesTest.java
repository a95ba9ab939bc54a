package io.pnpoperator.endpoint.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pnpoperator.crds.device.DevicePhase;
import io.pnpoperator.crds.device.DeviceStep;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The resource API and the workflow speak of the same steps and phases, and the installed CRD makes the
 * API server refuse any other step in a person's {@code kubectl patch ... status.step}.
 */
class ApiNamesTest {

    @Test
    void resourceStepsAndPhasesAreTheWorkflows() {
        assertThat(Arrays.stream(DeviceStep.values()).map(Enum::name))
                .containsExactlyElementsOf(Arrays.stream(Step.values()).map(Enum::name).toList());
        assertThat(Arrays.stream(DevicePhase.values()).map(Enum::name))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Phase.values()).map(Enum::name).toList());
    }

    @Test
    void crdRefusesAStepTheWorkflowDoesNotHave() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(
                Path.of("../crds/pnpdevices.pnp.pnpoperator.io-v1.yml")), CustomResourceDefinition.class);
        JsonNode step = Serialization.jsonMapper().valueToTree(crd.getSpec().getVersions().get(0).getSchema()
                .getOpenAPIV3Schema().getProperties().get("status").getProperties().get("step"));
        List<String> allowed = new ArrayList<>();
        step.get("enum").forEach(v -> allowed.add(v.asText()));
        assertThat(allowed).containsExactlyInAnyOrderElementsOf(Arrays.stream(Step.values()).map(Enum::name).toList());
    }
}
