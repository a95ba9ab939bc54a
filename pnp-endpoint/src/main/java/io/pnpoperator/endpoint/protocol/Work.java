package io.pnpoperator.endpoint.protocol;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The services the server can ask of a device, one record each. */
public sealed interface Work {

    Service service();

    /** Apply configuration lines ({@code configApply}). */
    record CliConfig(List<String> commands) implements Work {
        public Service service() {
            return Service.CLI_CONFIG;
        }
    }

    /** Run one exec command and return its output. */
    record CliExec(String command, Duration maxWait) implements Work {
        public Service service() {
            return Service.CLI_EXEC;
        }
    }

    /** Report device information; {@code type} is {@code all}, {@code image}, {@code filesystem}, ... */
    record DeviceInfo(String type) implements Work {
        public Service service() {
            return Service.DEVICE_INFO;
        }
    }

    /**
     * Copy an image, verify its MD5 and make it the boot image; then reload as {@code reload} says, or not at
     * all when it is empty (Cisco's schema requires one or the other: {@code <reload>} or {@code <noReload/>}).
     */
    record ImageInstall(URI source, String md5, String destination, Optional<Reload> reload) implements Work {
        public Service service() {
            return Service.IMAGE_INSTALL;
        }
    }

    /**
     * Copy a file to a device path such as {@code bootflash:guest-share/pxs.py}. The schema has no checksum for
     * it: the workflow verifies the copy with {@code verify /md5} afterwards.
     */
    record FileTransfer(URI source, String destination) implements Work {
        public Service service() {
            return Service.FILE_TRANSFER;
        }
    }

    /** Copy a configuration from a URL into the running configuration, without reloading. */
    record ConfigUpgrade(URI source) implements Work {
        public Service service() {
            return Service.CONFIG_UPGRADE;
        }
    }

    /**
     * Come back after a while. Whole seconds only: the protocol has no smaller unit, and the schema's
     * {@code callbackAfter} holds at most 47 hours, 59 minutes and 59 seconds.
     */
    record Backoff(String reason, Duration callbackAfter) implements Work {

        public static final Duration LONGEST = Duration.ofHours(48).minusSeconds(1);

        public Backoff {
            if (callbackAfter.isNegative() || callbackAfter.compareTo(LONGEST) > 0) {
                throw new IllegalArgumentException("a backoff lasts 0 s to 47 h 59 min 59 s, not " + callbackAfter);
            }
        }

        public Service service() {
            return Service.BACKOFF;
        }
    }

    /** Reload the device after a delay, saving its running configuration first or not. */
    /**
     * device-auth: the device signs {@code challenge} with its SUDI key and sends its SUDI certificate, to prove it
     * is the device its UDI names.
     *
     * @param encryptionMethods the signature algorithms the server takes (RSA, ECDSA)
     * @param hashMethods       the hashes the server takes (SHA256, SHA512)
     */
    record DeviceAuth(String challenge, List<String> encryptionMethods, List<String> hashMethods) implements Work {
        public Service service() {
            return Service.DEVICE_AUTH;
        }
    }

    record Reload(String reason, Duration delay, boolean saveConfig) implements Work {
        public Service service() {
            return Service.RELOAD;
        }
    }
}
