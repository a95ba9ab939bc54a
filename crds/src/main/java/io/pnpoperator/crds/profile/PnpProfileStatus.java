package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;

/**
 * What the operator found: whether every artifact is there with its size and MD5, the ConfigMap the
 * endpoint serves from, conditions ({@code ArtifactsReady}, {@code ConfigReady}) and devices by phase.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PnpProfileStatus(
        @JsonPropertyDescription("Every artifact is on the volume and the config is in place: the endpoint serves it")
        Boolean ready,
        List<ArtifactStatus> artifacts,
        @JsonPropertyDescription("The ConfigMap, owned by the profile, that the endpoint serves its configs from")
        String configMap,
        List<Condition> conditions,
        Long observedGeneration,
        @JsonPropertyDescription("PnpDevices naming this profile, by phase") Map<String, Long> devices) {

    /** The same status with other conditions. */
    public PnpProfileStatus withConditions(List<Condition> newConditions) {
        return new PnpProfileStatus(ready, artifacts, configMap, newConditions, observedGeneration, devices);
    }

    /** Why a profile with this status (null: not looked at yet) is not ready, in the operator's words. */
    public static String whyNotReady(PnpProfileStatus status) {
        if (status == null || status.conditions() == null) {
            return "the operator has not checked it yet";
        }
        return status.conditions().stream().filter(c -> !"True".equals(c.getStatus())).map(Condition::getMessage)
                .findFirst().orElse("status.ready is false");
    }

    /** One artifact as found on the volume. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ArtifactStatus(
            String name,
            Boolean present,
            Long size,
            String md5,
            @JsonPropertyDescription("The Job downloading the artifact from its URL, while it runs or after it failed")
            String job) {

        public static ArtifactStatus absent(String name) {
            return new ArtifactStatus(name, false, null, null, null);
        }
    }
}
