package io.pnpoperator.endpoint.profile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The standalone server's claim list ({@code pnp.unknown-devices=reject}): the serial numbers it provisions, one
 * a line in a text file ({@code #} starts a comment), as the old server's CSV listed them. The file is read again
 * when it changes: a router added to it is provisioned at its next call, without a restart.
 */
public final class ClaimedSerials {

    private record Read(FileTime modified, Set<String> serials) {
    }

    private final Path file;
    private final AtomicReference<Read> read = new AtomicReference<>(new Read(FileTime.fromMillis(0), Set.of()));

    public ClaimedSerials(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public boolean contains(String serial) {
        return serials().contains(serial.toUpperCase(Locale.ROOT));
    }

    private Set<String> serials() {
        try {
            FileTime modified = Files.getLastModifiedTime(file);
            Read known = read.get();
            if (!modified.equals(known.modified())) {
                known = new Read(modified, Files.readAllLines(file).stream().map(l -> l.replaceFirst("#.*", "").trim())
                        .filter(l -> !l.isEmpty()).map(l -> l.toUpperCase(Locale.ROOT)).collect(Collectors.toSet()));
                read.set(known);
            }
            return known.serials();
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the claimed serials in " + file, e);
        }
    }
}
