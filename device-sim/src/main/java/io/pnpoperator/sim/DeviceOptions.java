package io.pnpoperator.sim;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How a simulated ISR1k looks and behaves. The defaults are a real router's: it reports its version bare
 * ({@code 17.6.1a}), lists another app beside the guestshell, and its guestshell comes up over several checks.
 *
 * @param pid               platform, e.g. C1131-8PWB
 * @param version           IOS-XE version it runs out of the box, as in image names (17.06.01a)
 * @param longVersionString device-info gives {@code Cisco IOS XE Software, Version 17.06.01a} instead of {@code 17.6.1a}
 * @param bootflashSize     bootflash size in bytes
 * @param bootflashFree     free bootflash bytes before anything is copied
 * @param guestshell        how the guestshell behaves
 * @param speed             backoffs and reloads last {@code 1/speed} of their real time
 * @param reloadTime        how long a reload takes at speed 1
 * @param corruptImage      image downloads arrive damaged, so the MD5 check fails (error 2004)
 * @param corruptFiles      file copies arrive damaged, which {@code verify /md5} shows
 * @param faultOn           services (e.g. {@code cli-exec}) answered with a fault instead of being run
 * @param repeatResponses   each work response is sent twice, as a device that timed out would
 * @param parkAfter         a backoff at least this long (server time) ends the simulation of the device
 * @param credentials       the device's login ({@code user:password}): it asks for it ({@code authRequired})
 *                          and refuses messages that do not carry it
 * @param connectionPerMessage its agent opens a new TCP connection for every message ({@code Connection: close})
 *                          rather than keeping one alive: whether real agents keep theirs is not known, so a
 *                          benchmark measures both
 */
public record DeviceOptions(String pid, String version, boolean longVersionString, long bootflashSize,
                            long bootflashFree, Guestshell guestshell, double speed, Duration reloadTime,
                            boolean corruptImage, boolean corruptFiles, Set<String> faultOn, boolean repeatResponses,
                            Duration parkAfter, Optional<String> credentials, boolean connectionPerMessage) {

    /**
     * The guestshell of a simulated router.
     *
     * @param bundled   IOS-XE carries a guestshell package: {@code guestshell enable} works without an install
     * @param eemStarts the day-0 config's EEM applet starts it (after the applet's own wait: one more check)
     * @param checks    {@code show app-hosting list} checks from a start to RUNNING: DEPLOYED and ACTIVATED come
     *                  between (1: RUNNING at the first check)
     * @param otherApps apps listed beside the guestshell, with their states
     */
    public record Guestshell(boolean bundled, boolean eemStarts, int checks, Map<String, String> otherApps) {

        public Guestshell {
            if (checks < 1) {
                throw new IllegalArgumentException("the guestshell needs at least one check to come up");
            }
            otherApps = Map.copyOf(otherApps);
        }

        public Guestshell withChecks(int newChecks) {
            return new Guestshell(bundled, eemStarts, newChecks, otherApps);
        }

        public Guestshell withEemStarts(boolean starts) {
            return new Guestshell(bundled, starts, checks, otherApps);
        }

        public Guestshell withBundled(boolean isBundled) {
            return new Guestshell(isBundled, eemStarts, checks, otherApps);
        }

        public Guestshell withOtherApps(Map<String, String> apps) {
            return new Guestshell(bundled, eemStarts, checks, apps);
        }
    }

    public static DeviceOptions defaults() {
        Map<String, String> otherApps = new LinkedHashMap<>();
        otherApps.put("utd", "RUNNING");
        return new DeviceOptions("C1131-8PWB", "17.06.01a", false, 7194652672L, 3_000_000_000L,
                new Guestshell(true, true, 3, otherApps), 1.0, Duration.ofMinutes(4), false, false, Set.of(), false,
                Duration.ofMinutes(30), Optional.empty(), false);
    }

    public DeviceOptions withParkAfter(Duration newParkAfter) {
        return new DeviceOptions(pid, version, longVersionString, bootflashSize, bootflashFree, guestshell, speed,
                reloadTime, corruptImage, corruptFiles, faultOn, repeatResponses, newParkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withPid(String newPid) {
        return new DeviceOptions(newPid, version, longVersionString, bootflashSize, bootflashFree, guestshell, speed,
                reloadTime, corruptImage, corruptFiles, faultOn, repeatResponses, parkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withVersion(String newVersion) {
        return new DeviceOptions(pid, newVersion, longVersionString, bootflashSize, bootflashFree, guestshell, speed,
                reloadTime, corruptImage, corruptFiles, faultOn, repeatResponses, parkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withLongVersionString() {
        return new DeviceOptions(pid, version, true, bootflashSize, bootflashFree, guestshell, speed,
                reloadTime, corruptImage, corruptFiles, faultOn, repeatResponses, parkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withBootflashFree(long bytes) {
        return new DeviceOptions(pid, version, longVersionString, bootflashSize, bytes, guestshell, speed,
                reloadTime, corruptImage, corruptFiles, faultOn, repeatResponses, parkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withGuestshell(Guestshell newGuestshell) {
        return new DeviceOptions(pid, version, longVersionString, bootflashSize, bootflashFree, newGuestshell, speed,
                reloadTime, corruptImage, corruptFiles, faultOn, repeatResponses, parkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withSpeed(double newSpeed) {
        return new DeviceOptions(pid, version, longVersionString, bootflashSize, bootflashFree, guestshell, newSpeed,
                reloadTime, corruptImage, corruptFiles, faultOn, repeatResponses, parkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withCorruptImage() {
        return new DeviceOptions(pid, version, longVersionString, bootflashSize, bootflashFree, guestshell, speed,
                reloadTime, true, corruptFiles, faultOn, repeatResponses, parkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withCorruptFiles() {
        return new DeviceOptions(pid, version, longVersionString, bootflashSize, bootflashFree, guestshell, speed,
                reloadTime, corruptImage, true, faultOn, repeatResponses, parkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withFaultOn(Set<String> services) {
        return new DeviceOptions(pid, version, longVersionString, bootflashSize, bootflashFree, guestshell, speed,
                reloadTime, corruptImage, corruptFiles, Set.copyOf(services), repeatResponses, parkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withRepeatResponses() {
        return new DeviceOptions(pid, version, longVersionString, bootflashSize, bootflashFree, guestshell, speed,
                reloadTime, corruptImage, corruptFiles, faultOn, true, parkAfter, credentials,
                connectionPerMessage);
    }

    public DeviceOptions withCredentials(String userColonPassword) {
        return new DeviceOptions(pid, version, longVersionString, bootflashSize, bootflashFree, guestshell, speed,
                reloadTime, corruptImage, corruptFiles, faultOn, repeatResponses, parkAfter,
                Optional.of(userColonPassword), connectionPerMessage);
    }

    public DeviceOptions withConnectionPerMessage() {
        return new DeviceOptions(pid, version, longVersionString, bootflashSize, bootflashFree, guestshell, speed,
                reloadTime, corruptImage, corruptFiles, faultOn, repeatResponses, parkAfter, credentials, true);
    }

    /** A duration as the simulation lives it. */
    Duration scaled(Duration real) {
        return Duration.ofNanos((long) (real.toNanos() / speed));
    }
}
