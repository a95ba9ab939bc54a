package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/**
 * What the operator found: whether every artifact is there with its size and MD5, the ConfigMap the
 * endpoint serves from, conditions ({@code ArtifactsReady}, {@code ConfigReady}) and devices by phase.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PnpProfileStatus(Boolean ready, List<ArtifactStatus> artifacts, String configMap,
                               List<Condition> conditions, Long observedGeneration, Map<String, Long> devices) {

    /** One artifact as found on the volume. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ArtifactStatus(String name, Boolean present, Long size, String md5) {
    }
}
