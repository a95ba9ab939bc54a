package io.pnpoperator.toolkit.files;

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
import java.util.concurrent.ConcurrentHashMap;

/**
 * MD5s of artifact files, each computed once (streamed) and kept while the file's size and modification
 * time stay the same: looking at a 700 MB image again costs a stat, not a read. The endpoint (what it offers
 * routers) and the operator (what it checks on the volume) both measure their files here.
 */
public final class FileDigests {

    /** A file as measured: its size, modification time and MD5 in lower-case hex. */
    public record Digest(Path path, long size, Instant modified, String md5) {
    }

    private final Map<Path, Digest> measured = new ConcurrentHashMap<>();

    /** The file as it is now, hashed again only when it changed; empty when there is no such file. */
    public Optional<Digest> of(Path path) throws IOException {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            measured.remove(path);
            return Optional.empty();
        }
        Instant modified = now.lastModifiedTime().toInstant();
        Digest known = measured.get(path);
        if (known != null && known.size() == now.size() && known.modified().equals(modified)) {
            return Optional.of(known);
        }
        Digest fresh = new Digest(path, now.size(), modified, md5(path));
        measured.put(path, fresh);
        return Optional.of(fresh);
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
