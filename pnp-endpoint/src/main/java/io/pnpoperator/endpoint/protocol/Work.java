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

    /** Copy an image, verify its MD5, boot it: the device reloads by itself after answering. */
    record ImageInstall(URI source, String md5, String destination) implements Work {
        public Service service() {
            return Service.IMAGE_INSTALL;
        }
    }

    /** Copy a file to a device path such as {@code bootflash:guest-share/pxs.py}. */
    record FileTransfer(URI source, Optional<String> md5, String destination) implements Work {
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

    /** Come back after a while. Whole seconds only: the protocol has no smaller unit. */
    record Backoff(String reason, Duration callbackAfter) implements Work {
        public Service service() {
            return Service.BACKOFF;
        }
    }

    /** Reload the device after a delay, saving its configuration first or not. */
    record Reload(String reason, Duration delay, boolean saveConfig) implements Work {
        public Service service() {
            return Service.RELOAD;
        }
    }

    /** Ask which services the agent supports. */
    record Capability() implements Work {
        public Service service() {
            return Service.CAPABILITY;
        }
    }
}
