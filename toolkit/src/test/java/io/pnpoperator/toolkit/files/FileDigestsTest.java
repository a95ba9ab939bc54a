package io.pnpoperator.toolkit.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
    void aLookNeverWaitsAndAChangedFileIsMeasuredOnceInTheBackground() throws Exception {
        List<Runnable> queued = new ArrayList<>();
        FileDigests background = new FileDigests(queued::add);
        Path image = Files.writeString(folder.resolve("image.bin"), "IOS-XE");

        for (int i = 0; i < 5; i++) {
            assertThat(background.look(image)).isEqualTo(new FileDigests.Measuring(image));
        }
        assertThat(queued).as("one measure, however many looks").hasSize(1);
        queued.remove(0).run();
        assertThat(background.look(image)).isInstanceOfSatisfying(FileDigests.Measured.class,
                m -> assertThat(m.digest().md5()).isEqualTo("3bddb06573d2ab817c4840aa05508282"));

        Files.writeString(image, "IOS-XE 17.14");
        assertThat(background.look(image)).as("replaced: the old MD5 is not given for it")
                .isEqualTo(new FileDigests.Measuring(image));
        queued.remove(0).run();
        assertThat(((FileDigests.Measured) background.look(image)).digest().md5())
                .isEqualTo(md5Of("IOS-XE 17.14"));

        Files.delete(image);
        assertThat(background.look(image)).isEqualTo(new FileDigests.Missing(image));
    }

    @Test
    void aMissingFileHasNoDigest() throws Exception {
        assertThat(digests.of(folder.resolve("nothing.bin"))).isEmpty();
    }

    private static String md5Of(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
