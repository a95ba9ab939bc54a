package io.pnpoperator.endpoint.artifacts;

import java.nio.file.Path;
import java.time.Instant;

/** A file devices download, with what was measured of it: size, modification time and MD5 (lower-case hex). */
public record Artifact(String name, Path path, long size, Instant modified, String md5) {
}
