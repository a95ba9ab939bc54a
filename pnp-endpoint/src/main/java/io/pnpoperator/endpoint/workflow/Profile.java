package io.pnpoperator.endpoint.workflow;

import io.pnpoperator.endpoint.protocol.Credentials;
import io.pnpoperator.crds.profile.PlatformPattern;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a device is provisioned with, and so which steps run. An absent part switches its steps off:
 * no image, no upgrade; no config, no day-0 config; guestshell off, none of the guestshell steps.
 *
 * @param configRegister the value for {@code config-register}, e.g. {@code 0x2102}
 * @param image          the target image; devices on its version skip the upgrade
 * @param config         whether a day-0 configuration is applied (its text is served by the edge)
 * @param guestshell     the guestshell part of the workflow
 * @param credentials    the login sent to devices that ask for one ({@code authRequired})
 * @param proveIdentity  a device proves it is the device its UDI names (its SUDI) before anything is sent to it
 * @param images         images by platform: a device gets the first whose patterns match its PID, else {@code image}
 * @param reappeared     what happens to a provisioned device back in factory state; empty: the server's setting
 * @param rollout        how its devices are let through: a pause, a limit on image installs at once
 */
public record Profile(String name, Optional<String> configRegister, Optional<Image> image, boolean config,
                      Optional<Guestshell> guestshell, Optional<Credentials> credentials, boolean proveIdentity,
                      List<ForPlatforms> images, Optional<Security.Reappeared> reappeared, Rollout rollout) {

    /** A profile with one image (or none) for every platform. */
    public Profile(String name, Optional<String> configRegister, Optional<Image> image, boolean config,
                   Optional<Guestshell> guestshell, Optional<Credentials> credentials, boolean proveIdentity) {
        this(name, configRegister, image, config, guestshell, credentials, proveIdentity, List.of(), Optional.empty(),
                Rollout.OPEN);
    }

    /** A profile that asks no proof of identity. */
    public Profile(String name, Optional<String> configRegister, Optional<Image> image, boolean config,
                   Optional<Guestshell> guestshell, Optional<Credentials> credentials) {
        this(name, configRegister, image, config, guestshell, credentials, false);
    }

    /** Starts the reason a device waits while its profile's rollout is paused (the Ready condition's). */
    public static final String ROLLOUT_PAUSED = "rollout paused: profile ";

    /** Starts the reason a device waits when no image of its profile is for its platform (the Ready condition's). */
    public static final String NO_IMAGE_FOR_PLATFORM = "no image for platform ";

    /**
     * The profile as a device of this PID is provisioned with it: its image the first of {@link #images} for that
     * platform, else the one for all platforms; empty when there are images by platform, none for this one and no
     * image for all — such a device must not be upgraded to another platform's image.
     */
    public Optional<Profile> forPlatform(String pid) {
        Optional<Image> chosen = images.stream().filter(i -> i.matches(pid)).map(ForPlatforms::image).findFirst()
                .or(() -> image);
        if (chosen.isEmpty() && !images.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(withImage(chosen));
    }

    /** The profile for a device past its upgrade, whose platform has no image here: nothing to install. */
    public Profile withoutImage() {
        return withImage(Optional.empty());
    }

    /** This profile with one image for all platforms (or none), none by platform. */
    private Profile withImage(Optional<Image> only) {
        return new Profile(name, configRegister, only, config, guestshell, credentials, proveIdentity, List.of(),
                reappeared, rollout);
    }

    /** Why a device of this PID waits (see {@link #forPlatform}): what it is and what to add. */
    public String noImageFor(String pid) {
        return NO_IMAGE_FOR_PLATFORM + pid + " in profile " + name + " (its images are for "
                + String.join(", ", images.stream().flatMap(i -> i.platforms().stream()).toList())
                + "): add one to spec.images, or give spec.image for every other platform";
    }

    /**
     * How a profile's devices are let through.
     *
     * @param paused              new work is held for its devices not provisioned yet
     * @param maxConcurrentInstalls at most this many of its devices install their image at once, across replicas
     */
    public record Rollout(boolean paused, OptionalInt maxConcurrentInstalls) {

        /** No pause, no limit. */
        public static final Rollout OPEN = new Rollout(false, OptionalInt.empty());
    }

    /** An image for the devices whose PID matches one of {@code platforms} ({@link PlatformPattern}). */
    public record ForPlatforms(List<String> platforms, Image image) {

        boolean matches(String pid) {
            return platforms.stream().anyMatch(p -> PlatformPattern.matches(p, pid));
        }
    }

    /**
     * A target image; {@code md5} is lower-case hex, as devices verify it.
     *
     * @param reload true: the image install carries a reload (the device boots the image by itself); false:
     *               it carries {@code noReload} and the workflow asks for the reload as a step of its own
     */
    public record Image(String file, String version, String md5, boolean reload) {
    }

    /** A file the device copies, with where it goes on the device and its MD5 when known. */
    public record Artifact(String name, String destination, Optional<String> md5) {

        /** The device path: a destination ending in {@code :} or {@code /} is a folder for the file. */
        public String devicePath() {
            return destination.endsWith(":") || destination.endsWith("/") ? destination + name : destination;
        }
    }

    /**
     * @param packageFile  a guestshell tarball to copy and install when the device has none; without it
     *                     {@code guestshell enable} uses the package bundled with IOS-XE
     * @param script       the Python script copied to the device and run in the guestshell
     * @param eemApplet    the EEM applet (defined by the day-0 config) that installs the guestshell
     * @param minFreeBytes bootflash space needed before the guestshell is installed; 0 skips the check
     * @param startTimeout how long the guestshell may take to reach RUNNING after an install or enable command
     */
    public record Guestshell(Optional<Artifact> packageFile, Optional<Artifact> script, Optional<String> eemApplet,
                             long minFreeBytes, Duration startTimeout) {
    }
}
