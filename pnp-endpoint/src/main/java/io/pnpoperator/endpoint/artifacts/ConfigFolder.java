package io.pnpoperator.endpoint.artifacts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Day-0 configurations as the old server kept them: {@code configs/<SERIAL>.cfg} for one device,
 * else the profile's template ({@code configs/default.cfg}). Without a template there is no day-0 config.
 */
public record ConfigFolder(Path folder, Optional<Path> template, boolean perDevice) implements DayZeroConfigs {

    public static ConfigFolder none() {
        return new ConfigFolder(Path.of("."), Optional.empty(), false);
    }

    public boolean enabled() {
        return template.isPresent();
    }

    @Override
    public Optional<byte[]> forDevice(String serial) throws IOException {
        if (template.isEmpty()) {
            return Optional.empty();
        }
        Path own = folder.resolve(serial + ".cfg");
        return Optional.of(Files.readAllBytes(perDevice && Files.isRegularFile(own) ? own : template.get()));
    }
}
