package io.pnpoperator.sim;

import java.time.Duration;
import java.util.Set;

/**
 * How a simulated ISR1k looks and behaves.
 *
 * @param pid               platform, e.g. C1131-8PWB
 * @param version           IOS-XE version it runs out of the box
 * @param bootflashSize     bootflash size in bytes
 * @param bootflashFree     free bootflash bytes before anything is copied
 * @param guestshellAfterEem what the EEM applet leaves: RUNNING, DEPLOYED or NONE (still not installed)
 * @param bundledGuestshell whether {@code guestshell enable} works without an installed package
 * @param speed             backoffs and reloads last {@code 1/speed} of their real time
 * @param reloadTime        how long a reload takes at speed 1
 * @param corruptImage      image downloads arrive damaged, so the MD5 check fails (error 2004)
 * @param faultOn           services (e.g. {@code cli-exec}) answered with a fault instead of being run
 * @param repeatResponses   each work response is sent twice, as a device that timed out would
 * @param parkAfter         a backoff at least this long (server time) ends the simulation of the device
 */
public record DeviceOptions(String pid, String version, long bootflashSize, long bootflashFree,
                            String guestshellAfterEem, boolean bundledGuestshell, double speed, Duration reloadTime,
                            boolean corruptImage, Set<String> faultOn, boolean repeatResponses, Duration parkAfter) {

    public static DeviceOptions defaults() {
        return new DeviceOptions("C1131-8PWB", "17.06.01a", 7194652672L, 3_000_000_000L, "RUNNING", true, 1.0,
                Duration.ofMinutes(4), false, Set.of(), false, Duration.ofMinutes(30));
    }

    public DeviceOptions withVersion(String newVersion) {
        return new DeviceOptions(pid, newVersion, bootflashSize, bootflashFree, guestshellAfterEem, bundledGuestshell,
                speed, reloadTime, corruptImage, faultOn, repeatResponses, parkAfter);
    }

    public DeviceOptions withBootflashFree(long bytes) {
        return new DeviceOptions(pid, version, bootflashSize, bytes, guestshellAfterEem, bundledGuestshell, speed,
                reloadTime, corruptImage, faultOn, repeatResponses, parkAfter);
    }

    public DeviceOptions withGuestshellAfterEem(String state) {
        return new DeviceOptions(pid, version, bootflashSize, bootflashFree, state, bundledGuestshell, speed,
                reloadTime, corruptImage, faultOn, repeatResponses, parkAfter);
    }

    public DeviceOptions withSpeed(double newSpeed) {
        return new DeviceOptions(pid, version, bootflashSize, bootflashFree, guestshellAfterEem, bundledGuestshell,
                newSpeed, reloadTime, corruptImage, faultOn, repeatResponses, parkAfter);
    }

    public DeviceOptions withCorruptImage() {
        return new DeviceOptions(pid, version, bootflashSize, bootflashFree, guestshellAfterEem, bundledGuestshell,
                speed, reloadTime, true, faultOn, repeatResponses, parkAfter);
    }

    public DeviceOptions withFaultOn(Set<String> services) {
        return new DeviceOptions(pid, version, bootflashSize, bootflashFree, guestshellAfterEem, bundledGuestshell,
                speed, reloadTime, corruptImage, Set.copyOf(services), repeatResponses, parkAfter);
    }

    public DeviceOptions withRepeatResponses() {
        return new DeviceOptions(pid, version, bootflashSize, bootflashFree, guestshellAfterEem, bundledGuestshell,
                speed, reloadTime, corruptImage, faultOn, true, parkAfter);
    }

    /** A duration as the simulation lives it. */
    Duration scaled(Duration real) {
        return Duration.ofNanos((long) (real.toNanos() / speed));
    }
}
