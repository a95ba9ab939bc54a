package io.pnpoperator.endpoint.artifacts;

import io.pnpoperator.crds.profile.PnpProfileSpec;
import io.pnpoperator.toolkit.files.FileDigests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The files the profiles name, and only those: nothing else under the folders can be downloaded. Their MD5s
 * come from {@link FileDigests}: a request costs a stat, never a read of a 700 MB image; a file replaced while the
 * server runs is measured once, in the background, and offered again only with its new MD5.
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
    private final FileDigests digests;

    /**
     * @param named for each kind, the file names the profiles name now, and where they are
     * @param background where a new or changed file is measured, so no request waits for it
     */
    public ArtifactCatalog(Supplier<Map<Kind, Map<String, Path>>> named, Executor background) {
        this.named = named;
        this.digests = new FileDigests(background);
    }

    /** The artifact as known now, without waiting; empty when no profile names it. */
    public Optional<FileDigests.Look> look(Kind kind, String name) {
        return path(kind, name).map(digests::look);
    }

    /** The artifact measured now, waiting for it (at start); empty when no profile names it or it is gone. */
    public Optional<FileDigests.Digest> measure(Kind kind, String name) {
        Optional<Path> path = path(kind, name);
        if (path.isEmpty()) {
            return Optional.empty();
        }
        try {
            return digests.of(path.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path.get(), e);
        }
    }

    /**
     * Why an artifact cannot be offered to a device now — missing, being measured after a change, or with another
     * MD5 than the one expected — or its MD5 when it can.
     *
     * @param expected the MD5 the profile (or the operator) says the file has; empty when any will do
     */
    public Offer offer(Kind kind, String name, Optional<String> expected) {
        FileDigests.Look look = look(kind, name).orElse(new FileDigests.Missing(Path.of(kind.folder(), name)));
        String artifact = kind.folder() + "/" + name;
        if (look instanceof FileDigests.Measured m) {
            String md5 = m.digest().md5();
            return expected.filter(e -> !e.isBlank() && !e.equals(md5))
                    .map(e -> Offer.not(artifact + " has MD5 " + md5 + ", not " + e + " as expected", false))
                    .orElseGet(() -> new Offer(Optional.of(md5), Optional.empty()));
        }
        return look instanceof FileDigests.Measuring
                ? Offer.not(artifact + " changed on disk: its MD5 is being measured", true)
                : Offer.not(artifact + " is missing from " + ((FileDigests.Missing) look).path().getParent()
                        + ": devices that need it wait until it is back", false);
    }

    /**
     * Why a profile cannot be offered to devices now: the first of its artifacts that is missing, being measured,
     * or not what {@code expected} says; empty when every one can be downloaded as it should.
     */
    public Optional<Unavailable> problem(PnpProfileSpec spec, BiFunction<Kind, String, Optional<String>> expected) {
        Stream<Map.Entry<Kind, String>> artifacts = Stream.concat(
                spec.allImages().stream().map(i -> Map.entry(Kind.IMAGE, i.file())),
                Optional.ofNullable(spec.files()).orElse(List.of()).stream().map(f -> Map.entry(Kind.FILE, f.name())));
        return artifacts.map(a -> offer(a.getKey(), a.getValue(), expected.apply(a.getKey(), a.getValue())).problem())
                .flatMap(Optional::stream).findFirst();
    }

    /** An artifact's MD5 to offer, or why it cannot be offered now. */
    public record Offer(Optional<String> md5, Optional<Unavailable> problem) {

        static Offer not(String reason, boolean measuring) {
            return new Offer(Optional.empty(), Optional.of(new Unavailable(reason, measuring)));
        }
    }

    /**
     * Why an artifact cannot be offered now.
     *
     * @param measuring it changed and is being measured: this passes by itself in moments
     */
    public record Unavailable(String reason, boolean measuring) {
    }

    private Optional<Path> path(Kind kind, String name) {
        return Optional.ofNullable(named.get().getOrDefault(kind, Map.of()).get(name));
    }
}
