package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/**
 * How a profile's routers are let through: all held (a pause), and how many may install their image at the same
 * time across every endpoint replica (an image install pulls hundreds of MB through the uplink).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Rollout(
        @JsonPropertyDescription("Hold new work for the profile's routers that are not provisioned yet; work sent "
                + "before is still taken back") Boolean paused,
        @JsonPropertyDescription("At most this many routers of the profile install their image at once; the others "
                + "wait in UPGRADE_NEEDED with their place in line (absent: no limit)")
        @Min(1) Integer maxConcurrentImageInstalls) {

    public boolean isPaused() {
        return Boolean.TRUE.equals(paused);
    }
}
