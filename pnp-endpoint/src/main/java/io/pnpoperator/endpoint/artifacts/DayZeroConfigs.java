package io.pnpoperator.endpoint.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Day-0 configurations as the old server kept them: {@code configs/<SERIAL>.cfg} for one device,
 * else the profile's template ({@code configs/default.cfg}). Without a template there is no day-0 config.
 */
public record DayZeroConfigs(Path folder, Optional<Path> template, boolean perDevice) {

    public static DayZeroConfigs none() {
        return new DayZeroConfigs(Path.of("."), Optional.empty(), false);
    }

    public boolean enabled() {
        return template.isPresent();
    }

    /** The configuration for a device; the serial is a validated UDI serial (letters and digits). */
    public Optional<byte[]> forDevice(String serial) throws IOException {
        if (template.isEmpty()) {
            return Optional.empty();
        }
        Path own = folder.resolve(serial + ".cfg");
        return Optional.of(Files.readAllBytes(perDevice && Files.isRegularFile(own) ? own : template.get()));
    }
}
