package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A file copied to devices, such as the guestshell tarball or the script. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArtifactFile(
        @JsonPropertyDescription("File name under files/ on the artifacts volume")
        @Required @Pattern(PLAIN_NAME) String name,
        @JsonPropertyDescription("Device folder (bootflash:, bootflash:guest-share/) or full device path")
        @Required @Pattern("^[a-z0-9]+:.*$") String destination,
        @JsonPropertyDescription("Where to download the file from when it is not on the volume yet") String url) {

    /** A file name without folders: letters, digits, dot, dash, underscore, plus. */
    public static final String PLAIN_NAME = "^[A-Za-z0-9][A-Za-z0-9._+-]*$";
}
