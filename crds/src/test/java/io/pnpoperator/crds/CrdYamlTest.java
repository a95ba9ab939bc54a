package io.pnpoperator.crds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed under crds/ (what users and the chart install) are exactly what the build generates
 * from the Java types. After changing a type, refresh them with
 * {@code mvn -pl crds verify -Dcrds.update=true} and review the diff.
 */
class CrdYamlTest {

    static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
    static final Path COMMITTED = Path.of(".");

    @Test
    void committedCrdsAreTheGeneratedOnes() throws IOException {
        List<Path> generated = crdFiles(GENERATED);
        assertThat(generated).extracting(p -> p.getFileName().toString())
                .containsExactly("pnpdevices.pnp.pnpoperator.io-v1.yml", "pnpprofiles.pnp.pnpoperator.io-v1.yml");
        if (Boolean.getBoolean("crds.update")) {
            for (Path crd : generated) {
                Files.copy(crd, COMMITTED.resolve(crd.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Path crd : generated) {
            Path committed = COMMITTED.resolve(crd.getFileName());
            assertThat(committed).as("committed " + crd.getFileName()).exists();
            assertThat(Files.readString(committed))
                    .as(committed + " differs from the generated CRD: run mvn -pl crds verify -Dcrds.update=true")
                    .isEqualTo(Files.readString(crd));
        }
    }

    private static List<Path> crdFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
