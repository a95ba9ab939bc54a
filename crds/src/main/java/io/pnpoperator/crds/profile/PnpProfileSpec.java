package io.pnpoperator.crds.profile;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The provisioning a profile asks for. The standalone server's profile file has this shape too, so a
 * lab profile moves to a cluster unchanged. An absent part switches its steps off.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PnpProfileSpec(
        @JsonPropertyDescription("Value for config-register, e.g. 0x2102; absent: the step is skipped")
        @Pattern("^0x[0-9a-fA-F]{1,4}$") String configRegister,
        @JsonPropertyDescription("Target image; devices already on its version skip the upgrade. With images: the "
                + "image of routers whose PID none of those matches") Image image,
        @JsonPropertyDescription("Target images by platform: a router gets the first whose platforms match its PID, "
                + "else image; a router that matches none and there is no image waits, and says so")
        List<PlatformImage> images,
        @JsonPropertyDescription("Day-0 configuration") DayZeroConfig config,
        @JsonPropertyDescription("Files copied to devices, with their destinations") List<ArtifactFile> files,
        @JsonPropertyDescription("Guestshell installation and the script run in it") Guestshell guestshell,
        @JsonPropertyDescription("Secret (type kubernetes.io/basic-auth: username, password) with the login sent to "
                + "devices that ask for credentials (authRequired); standalone: <name>.yaml beside the profile")
        @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$") String credentialsSecret,
        @JsonPropertyDescription("How a device proves it is the device its serial number names before anything is "
                + "sent to it: none (default), or sudi: a challenge signed with its SUDI key, whose certificate the "
                + "server's trust bundle vouches for and names its serial number")
        @Pattern("^(none|sudi)$") String identity,
        @JsonPropertyDescription("The routers this profile provisions when their PnpDevice names no profile (new "
                + "routers in register mode): by PID and serial, the highest priority winning")
        ProfileMatch match,
        @JsonPropertyDescription("A router provisioned with this profile that comes back in factory state (no startup "
                + "configuration): hold (for a person) or reprovision (from NEW_DEVICE); absent: the endpoint's "
                + "pnp.security.reappeared")
        @Pattern("^(hold|reprovision)$") String reappeared,
        @JsonPropertyDescription("How the profile's routers are let through: a pause, and how many may install their "
                + "image at once") Rollout rollout) {

    public static final String IDENTITY_SUDI = "sudi";

    /** The spec as earlier releases wrote it, before devices could be asked to prove who they are. */
    public PnpProfileSpec(String configRegister, Image image, DayZeroConfig config, List<ArtifactFile> files,
                          Guestshell guestshell, String credentialsSecret) {
        this(configRegister, image, null, config, files, guestshell, credentialsSecret, null, null, null, null);
    }

    /** The spec as earlier releases wrote it, with one image for every platform. */
    public PnpProfileSpec(String configRegister, Image image, DayZeroConfig config, List<ArtifactFile> files,
                          Guestshell guestshell, String credentialsSecret, String identity) {
        this(configRegister, image, null, config, files, guestshell, credentialsSecret, identity, null, null, null);
    }

    /** The same spec with another image for all platforms. */
    public PnpProfileSpec withImage(Image newImage) {
        return new PnpProfileSpec(configRegister, newImage, images, config, files, guestshell, credentialsSecret,
                identity, match, reappeared, rollout);
    }

    /** The same spec with these rules for the routers it provisions. */
    public PnpProfileSpec withMatch(ProfileMatch newMatch) {
        return new PnpProfileSpec(configRegister, image, images, config, files, guestshell, credentialsSecret,
                identity, newMatch, reappeared, rollout);
    }

    /** The same spec with this rollout. */
    public PnpProfileSpec withRollout(Rollout newRollout) {
        return new PnpProfileSpec(configRegister, image, images, config, files, guestshell, credentialsSecret,
                identity, match, reappeared, newRollout);
    }

    /** The same spec with each of its images (that of all platforms and those by platform) changed by {@code change}. */
    public PnpProfileSpec withEachImage(UnaryOperator<Image> change) {
        return new PnpProfileSpec(configRegister, image == null ? null : change.apply(image),
                images == null ? null : images.stream().map(p -> p.withImage(change.apply(p.image()))).toList(),
                config, files, guestshell, credentialsSecret, identity, match, reappeared, rollout);
    }

    /** Every image the profile names, each file once: the one for all platforms first, then those by platform. */
    public List<Image> allImages() {
        Map<String, Image> byFile = new LinkedHashMap<>();
        imagesByField().values().forEach(i -> byFile.putIfAbsent(i.file(), i));
        return List.copyOf(byFile.values());
    }

    /** Every image the profile names by the field that names it ({@code spec.image}, {@code spec.images[1].image}). */
    public Map<String, Image> imagesByField() {
        Map<String, Image> byField = new LinkedHashMap<>();
        Optional.ofNullable(image).ifPresent(i -> byField.put("spec.image", i));
        List<PlatformImage> list = Optional.ofNullable(images).orElse(List.of());
        for (int i = 0; i < list.size(); i++) {
            String field = "spec.images[" + i + "].image";
            Optional.ofNullable(list.get(i).image()).ifPresent(image -> byField.put(field, image));
        }
        return byField;
    }

    /** Whether devices must prove who they are with their SUDI before anything is sent to them. */
    public boolean requiresSudi() {
        return IDENTITY_SUDI.equals(identity);
    }
}
