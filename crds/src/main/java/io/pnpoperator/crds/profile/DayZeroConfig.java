package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The day-0 configuration: a template, and per-device overrides named by serial. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DayZeroConfig(
        @JsonPropertyDescription("The template: a key of the ConfigMap in a cluster, a file under configs/ standalone")
        @Required @Pattern(ArtifactFile.PLAIN_NAME) String template,
        @JsonPropertyDescription("Whether <SERIAL>.cfg overrides the template for that device (default true)")
        Boolean perDevice,
        @JsonPropertyDescription("In a cluster: the ConfigMap holding the template and <SERIAL>.cfg keys")
        String configMap) {
}
