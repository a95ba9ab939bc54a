package io.pnpoperator.endpoint.protocol;

import java.util.List;
import java.util.Optional;

/** What a device reported in a successful response, by the service it answered. */
public sealed interface Report {

    /** A response that carries nothing beyond success or failure (image install, backoff, ...). */
    record Nothing() implements Report {
    }

    /** cli-config: one result per configuration line. */
    record ConfigResult(List<Line> lines) implements Report {
        public record Line(int number, String command, boolean success, String error) {
        }
    }

    /** cli-exec: the raw CLI output the device received. */
    record ExecOutput(String text) implements Report {
    }

    /** device-info: the running image, the hardware and every file system with its free space. */
    record DeviceInfo(String versionString, String imageFile, String configRegister, String platformName,
                      String boardId, List<FileSystem> fileSystems) implements Report {

        /** The IOS-XE version out of the version string, e.g. {@code 17.06.01a}. */
        public Optional<String> runningVersion() {
            int at = versionString.lastIndexOf("Version ");
            if (at < 0) {
                return Optional.empty();
            }
            String rest = versionString.substring(at + "Version ".length()).trim();
            String version = rest.split("[\\s,]", 2)[0];
            return version.isEmpty() ? Optional.empty() : Optional.of(version);
        }

        public Optional<FileSystem> fileSystem(String name) {
            return fileSystems.stream().filter(fs -> fs.name().equals(name)).findFirst();
        }
    }

    record FileSystem(String name, String type, long size, long freeSpace) {
    }
}
