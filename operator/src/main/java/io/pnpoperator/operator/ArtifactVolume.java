package io.pnpoperator.operator;

import io.pnpoperator.crds.profile.PnpProfileStatus.ArtifactStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The artifacts volume as the operator sees it (mounted read-only): images/ and files/. A file's MD5 is
 * computed once, streamed, and kept while its size and modification time stay the same, so a reconcile
 * of a profile with a 700 MB image costs two stats, not a read of the image.
 */
final class ArtifactVolume {

    private record Measured(long size, Instant modified, String md5) {
    }

    private final Path root;
    private final String name;
    private final Map<Path, Measured> measured = new ConcurrentHashMap<>();

    /** @param name how users know the volume (the PVC), for messages */
    ArtifactVolume(Path root, String name) {
        this.root = root;
        this.name = name;
    }

    String name() {
        return name;
    }

    /** The URL the artifact was downloaded from, as its download Job recorded it; empty when put there by hand. */
    Optional<String> source(Artifact artifact) throws IOException {
        try {
            return Optional.of(Files.readString(root.resolve(artifact.folder())
                    .resolve(ArtifactFetch.SOURCE.formatted(artifact.file()))).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Bytes a running download has written so far, when it has begun. */
    OptionalLong downloadedSoFar(Artifact artifact) throws IOException {
        try {
            return OptionalLong.of(Files.size(root.resolve(artifact.folder())
                    .resolve(ArtifactFetch.PART.formatted(artifact.file()))));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    /** The artifact {@code folder/file} as it is now: absent, or present with its size and MD5. */
    ArtifactStatus look(String folder, String file) throws IOException {
        Path path = root.resolve(folder).resolve(file);
        try {
            BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
            Measured known = measured.get(path);
            if (known == null || known.size() != now.size() || !known.modified().equals(now.lastModifiedTime().toInstant())) {
                known = new Measured(now.size(), now.lastModifiedTime().toInstant(), md5(path));
                measured.put(path, known);
            }
            return new ArtifactStatus(file, true, known.size(), known.md5(), null);
        } catch (NoSuchFileException e) {
            return ArtifactStatus.absent(file);
        }
    }

    private static String md5(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
