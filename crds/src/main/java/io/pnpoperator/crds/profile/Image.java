package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A target IOS-XE image on the artifacts volume. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Image(
        @JsonPropertyDescription("File name under images/ on the artifacts volume")
        @Required @Pattern(ArtifactFile.PLAIN_NAME) String file,
        @JsonPropertyDescription("IOS-XE version of the image, e.g. 17.14.01a") @Required String version,
        @JsonPropertyDescription("MD5 in lower-case hex; empty: computed from the file")
        @Pattern("^([0-9a-f]{32})?$") String md5,
        @JsonPropertyDescription("Where to download the image from when it is not on the volume yet") String url,
        @JsonPropertyDescription("Reload into the image as part of its install (default true); false: the install "
                + "carries noReload and a reload request follows as its own step") Boolean reload) {

    /** The same image with this MD5. */
    public Image withMd5(String newMd5) {
        return new Image(file, version, newMd5, url, reload);
    }
}
