package io.pnpoperator.endpoint.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The files the profiles name, and only those: nothing else under the folders can be downloaded. MD5s
 * are computed once and kept while a file's size and modification time stay the same, so a request
 * costs a stat, never a read of a 700 MB image.
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
    private final Map<Path, Artifact> measured = new ConcurrentHashMap<>();

    /** @param named for each kind, the file names the profiles name now, and where they are */
    public ArtifactCatalog(Supplier<Map<Kind, Map<String, Path>>> named) {
        this.named = named;
    }

    /** The artifact as it is on disk now; empty when the profile does not name it or it is gone. */
    public Optional<Artifact> find(Kind kind, String name) {
        Path path = named.get().getOrDefault(kind, Map.of()).get(name);
        if (path == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(measure(name, path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private Artifact measure(String name, Path path) throws IOException {
        BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
        Artifact known = measured.get(path);
        if (known != null && known.size() == now.size() && known.modified().equals(now.lastModifiedTime().toInstant())) {
            return known;
        }
        Artifact fresh = new Artifact(name, path, now.size(), now.lastModifiedTime().toInstant(), md5(path));
        measured.put(path, fresh);
        return fresh;
    }

    private static String md5(Path path) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
