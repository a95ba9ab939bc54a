package io.pnpoperator.toolkit.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDigestsTest {

    @TempDir
    Path folder;
    final FileDigests digests = new FileDigests();

    @Test
    void aFileIsHashedOnceUntilItChanges() throws Exception {
        Path image = Files.writeString(folder.resolve("image.bin"), "IOS-XE");
        FileDigests.Digest first = digests.of(image).orElseThrow();
        assertThat(first.md5()).isEqualTo("3bddb06573d2ab817c4840aa05508282");
        assertThat(first.size()).isEqualTo(6);

        Instant modified = Files.getLastModifiedTime(image).toInstant();
        Files.writeString(image, "IOS-xe");
        Files.setLastModifiedTime(image, FileTime.from(modified));
        assertThat(digests.of(image).orElseThrow()).as("same size and time: the kept MD5").isEqualTo(first);

        Files.setLastModifiedTime(image, FileTime.from(modified.plusSeconds(1)));
        assertThat(digests.of(image).orElseThrow().md5()).as("a new time: hashed again").isEqualTo("52e45cc7c846e41981002da7b1f50af9");
    }

    @Test
    void aMissingFileHasNoDigest() throws Exception {
        assertThat(digests.of(folder.resolve("nothing.bin"))).isEmpty();
    }
}
