package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/**
 * The provisioning a profile asks for. The standalone server's profile file has this shape too, so a
 * lab profile moves to a cluster unchanged. An absent part switches its steps off.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PnpProfileSpec(
        @JsonPropertyDescription("Value for config-register, e.g. 0x2102; absent: the step is skipped")
        @Pattern("^0x[0-9a-fA-F]{1,4}$") String configRegister,
        @JsonPropertyDescription("Target image; devices already on its version skip the upgrade") Image image,
        @JsonPropertyDescription("Day-0 configuration") DayZeroConfig config,
        @JsonPropertyDescription("Files copied to devices, with their destinations") List<ArtifactFile> files,
        @JsonPropertyDescription("Guestshell installation and the script run in it") Guestshell guestshell,
        @JsonPropertyDescription("Secret (type kubernetes.io/basic-auth: username, password) with the login sent to "
                + "devices that ask for credentials (authRequired); standalone: <name>.yaml beside the profile")
        @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$") String credentialsSecret,
        @JsonPropertyDescription("How a device proves it is the device its serial number names before anything is "
                + "sent to it: none (default), or sudi: a challenge signed with its SUDI key, whose certificate the "
                + "server's trust bundle vouches for and names its serial number")
        @Pattern("^(none|sudi)$") String identity) {

    public static final String IDENTITY_SUDI = "sudi";

    /** The spec as earlier releases wrote it, before devices could be asked to prove who they are. */
    public PnpProfileSpec(String configRegister, Image image, DayZeroConfig config, List<ArtifactFile> files,
                          Guestshell guestshell, String credentialsSecret) {
        this(configRegister, image, config, files, guestshell, credentialsSecret, null);
    }

    /** The same spec with another image. */
    public PnpProfileSpec withImage(Image newImage) {
        return new PnpProfileSpec(configRegister, newImage, config, files, guestshell, credentialsSecret, identity);
    }

    /** Whether devices must prove who they are with their SUDI before anything is sent to them. */
    public boolean requiresSudi() {
        return IDENTITY_SUDI.equals(identity);
    }
}
