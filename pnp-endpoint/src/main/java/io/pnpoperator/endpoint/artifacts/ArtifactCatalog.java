package io.pnpoperator.endpoint.artifacts;

import io.pnpoperator.toolkit.files.FileDigests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The files the profiles name, and only those: nothing else under the folders can be downloaded. Their MD5s
 * come from {@link FileDigests}: a request costs a stat, never a read of a 700 MB image.
 */
public final class ArtifactCatalog {

    /** The two folders of downloadable artifacts, as the old server's users know them. */
    public enum Kind {
        IMAGE("images"),
        FILE("files");

        private final String folder;

        Kind(String folder) {
            this.folder = folder;
        }

        public String folder() {
            return folder;
        }
    }

    private final Supplier<Map<Kind, Map<String, Path>>> named;
    private final FileDigests digests = new FileDigests();

    /** @param named for each kind, the file names the profiles name now, and where they are */
    public ArtifactCatalog(Supplier<Map<Kind, Map<String, Path>>> named) {
        this.named = named;
    }

    /** The artifact as it is on disk now; empty when the profile does not name it or it is gone. */
    public Optional<FileDigests.Digest> find(Kind kind, String name) {
        Path path = named.get().getOrDefault(kind, Map.of()).get(name);
        if (path == null) {
            return Optional.empty();
        }
        try {
            return digests.of(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }
}
