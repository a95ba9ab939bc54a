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
import java.util.concurrent.Executor;

/**
 * MD5s of artifact files, each computed once (streamed) and kept while the file's size and modification
 * time stay the same: looking at a 700 MB image again costs a stat, not a read. The endpoint (what it offers
 * routers) and the operator (what it checks on the volume) both measure their files here: the operator waits for
 * a measure ({@link #of}), the endpoint never does ({@link #look}): a changed file is measured once, in the
 * background, however many requests ask meanwhile.
 */
public final class FileDigests {

    /** A file as measured: its size, modification time and MD5 in lower-case hex. */
    public record Digest(Path path, long size, Instant modified, String md5) {
    }

    /** What is known of a file now, without waiting. */
    public sealed interface Look permits Measured, Measuring, Missing {
    }

    /** Measured as it is now. */
    public record Measured(Digest digest) implements Look {
    }

    /** New or changed since it was last measured: its MD5 is being computed. */
    public record Measuring(Path path) implements Look {
    }

    /** Not there (or not readable as a file). */
    public record Missing(Path path) implements Look {
    }

    private record Signature(long size, Instant modified) {
    }

    private final Map<Path, Digest> measured = new ConcurrentHashMap<>();
    private final Map<Path, Signature> measuring = new ConcurrentHashMap<>();
    private final Executor background;

    /** Measures only when asked, in the asker's thread ({@link #of}). */
    public FileDigests() {
        this(Runnable::run);
    }

    /** @param background where {@link #look} measures a new or changed file */
    public FileDigests(Executor background) {
        this.background = background;
    }

    /**
     * The file as known now. A new or changed file is {@link Measuring} until its MD5 is computed in the background
     * (started by the first look that sees the change); the old MD5 is never given for the new content.
     */
    public Look look(Path path) {
        BasicFileAttributes now;
        try {
            now = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            measured.remove(path);
            return new Missing(path);
        }
        if (!now.isRegularFile()) {
            return new Missing(path);
        }
        Signature signature = new Signature(now.size(), now.lastModifiedTime().toInstant());
        Digest known = measured.get(path);
        if (known != null && known.size() == signature.size() && known.modified().equals(signature.modified())) {
            return new Measured(known);
        }
        if (!signature.equals(measuring.put(path, signature))) {
            background.execute(() -> measureInBackground(path, signature));
        }
        Digest fresh = measured.get(path); // measured already, when the executor runs tasks at once
        return fresh != null && fresh.size() == signature.size() && fresh.modified().equals(signature.modified())
                ? new Measured(fresh) : new Measuring(path);
    }

    private void measureInBackground(Path path, Signature signature) {
        try {
            String md5 = md5(path);
            BasicFileAttributes after = Files.readAttributes(path, BasicFileAttributes.class);
            // Changed while being read: the next look measures it again.
            if (after.size() == signature.size() && after.lastModifiedTime().toInstant().equals(signature.modified())) {
                measured.put(path, new Digest(path, signature.size(), signature.modified(), md5));
            }
        } catch (IOException e) {
            measured.remove(path);
        } finally {
            measuring.remove(path, signature);
        }
    }

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

    /** A new MD5 digest (every JVM has one). */
    public static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }

    /** The MD5 of these bytes in lower-case hex, as devices and profiles write it. */
    public static String md5(byte[] content) {
        return HexFormat.of().formatHex(md5().digest(content));
    }

    private static String md5(Path path) throws IOException {
        MessageDigest digest = md5();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
