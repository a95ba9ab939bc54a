package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;

/** The guestshell part of the workflow. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Guestshell(
        @JsonPropertyDescription("Run the guestshell steps (default true when the section is present)") Boolean enabled,
        @JsonProperty("package")
        @JsonPropertyDescription("Guestshell tarball from spec.files, installed when a device has none") String packageFile,
        @JsonPropertyDescription("Python script from spec.files, run in the guestshell as the last step") String script,
        @JsonPropertyDescription("EEM applet, defined by the day-0 config, that installs the guestshell") String eemApplet,
        @JsonPropertyDescription("Bootflash bytes needed before the guestshell is installed; 0 skips the check")
        @Min(0) Long minFreeBytes,
        @JsonPropertyDescription("Seconds the guestshell may take to reach RUNNING after an install or enable command "
                + "before the try counts as failed (default 900)")
        @Min(1) Integer startTimeoutSeconds) {

    /** Fifteen minutes: a guestshell start takes a minute or several on an ISR1k. */
    public static final int DEFAULT_START_TIMEOUT_SECONDS = 900;
}
