package io.pnpoperator.endpoint.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A PnpProfile as written in YAML: the same shape as the cluster resource, so a lab profile moves to a
 * cluster unchanged. Unknown fields are refused, so a typo is an error rather than a silent default.
 */
public record ProfileManifest(String apiVersion, String kind, Metadata metadata, Spec spec) {

    /** Kubernetes metadata; only the name is used here, labels and the rest are allowed and ignored. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Metadata(String name) {
    }

    public record Spec(String configRegister, Image image, Config config, List<File> files, Guestshell guestshell) {
    }

    /** @param md5 empty: computed from the file; given: checked against it */
    public record Image(String file, String version, String md5) {
    }

    /** @param template file under configs/; @param perDevice whether {@code <SERIAL>.cfg} overrides it */
    public record Config(String template, Boolean perDevice) {
    }

    /** @param destination device folder ({@code bootflash:}, {@code bootflash:guest-share/}) or full path */
    public record File(String name, String destination) {
    }

    public record Guestshell(Boolean enabled, @JsonProperty("package") String packageFile, String script,
                             String eemApplet, Long minFreeBytes) {
    }
}
