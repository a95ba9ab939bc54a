package io.pnpoperator.operator;

import io.pnpoperator.crds.profile.PnpProfileStatus.ArtifactStatus;
import io.pnpoperator.toolkit.files.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The artifacts volume as the operator sees it (mounted read-only): images/ and files/. MD5s come from
 * {@link FileDigests}, so a reconcile of a profile with a 700 MB image costs two stats, not a read of it.
 */
final class ArtifactVolume {

    private final Path root;
    private final String name;
    private final FileDigests digests = new FileDigests();

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
        return digests.of(root.resolve(folder).resolve(file))
                .map(d -> new ArtifactStatus(file, true, d.size(), d.md5(), null))
                .orElseGet(() -> ArtifactStatus.absent(file));
    }
}
