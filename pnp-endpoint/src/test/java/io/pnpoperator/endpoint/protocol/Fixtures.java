package io.pnpoperator.endpoint.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The XML samples of ../shared/pnp/fixtures, found from the module's folder upwards. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path folder() {
        for (Path at = Path.of("").toAbsolutePath(); at != null; at = at.getParent()) {
            Path candidate = at.resolveSibling("shared").resolve("pnp/fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/pnp/fixtures not found beside the repository");
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(folder().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
