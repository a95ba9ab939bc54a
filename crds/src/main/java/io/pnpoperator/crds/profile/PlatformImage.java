package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The image for the routers whose PID matches one of {@code platforms}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlatformImage(
        @JsonPropertyDescription("PID patterns of the routers this image is for: * any characters, ? one, e.g. "
                + "C1111-*, C1131-8PWB")
        @Required @Size(min = 1) List<String> platforms,
        @JsonPropertyDescription("The image for those routers") @Required Image image) {

    /** Whether a router with this PID gets this image. */
    public boolean matches(String pid) {
        return platforms.stream().anyMatch(p -> PlatformPattern.matches(p, pid));
    }

    /** The same platforms with another image. */
    public PlatformImage withImage(Image newImage) {
        return new PlatformImage(platforms, newImage);
    }
}
