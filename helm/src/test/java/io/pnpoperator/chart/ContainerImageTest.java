package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images the chart runs, as Jib wrote them (mvn -Pimages package): who they run as, how the JVM is
 * started, and that the application layers alone make a program that starts. Run with the images profile.
 * The Java runtime comes from the base image; here the machine's own Java 17 stands in for it, so these
 * tests hold whichever base the image is built on.
 */
class ContainerImageTest {

    static final Path ENDPOINT = Path.of("../pnp-endpoint/target/jib-image.tar");
    static final Path OPERATOR = Path.of("../operator/target/jib-image.tar");

    @TempDir
    Path work;

    @Test
    void endpointImageRunsAsNonRootWithContainerJvmFlags() throws Exception {
        JsonNode config = unpack(ENDPOINT).config();
        assertThat(config.at("/config/User").asText()).isEqualTo("65532:65532");
        assertThat(strings(config.at("/config/Entrypoint"))).startsWith("java").contains("-XX:MaxRAMPercentage=75.0",
                "-XX:+ExitOnOutOfMemoryError").endsWith("io.pnpoperator.endpoint.PnpEndpointApplication");
        assertThat(fieldNames(config.at("/config/ExposedPorts"))).containsExactlyInAnyOrder("8080/tcp", "8081/tcp");
    }

    @Test
    void endpointLayersStartTheServerProgramWhichLogsJsonLinesAsTheOperatorDoes() throws Exception {
        Image image = unpack(ENDPOINT);
        Run run = image.run(List.of("--check-db"), Map.of());
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("SQLite connection is successful");

        // Started with a profile that is not there, it says so in a JSON line and stops.
        Run refused = image.run(List.of("--pnp.profile=missing.yaml"), Map.of());
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        JsonNode line = new ObjectMapper().readTree(refused.output().lines().filter(l -> l.startsWith("{"))
                .filter(l -> l.contains("missing.yaml") && l.contains("\"level\":\"ERROR\"")).findFirst()
                .orElseThrow(() -> new AssertionError("no JSON log line: " + refused.output())));
        assertThat(fieldNames(line)).contains("timestamp", "level", "threadName", "loggerName", "formattedMessage");
        assertThat(line.get("level").asText()).isEqualTo("ERROR");
    }

    @Test
    void operatorImageRunsAsNonRootAndItsLayersStartTheOperator() throws Exception {
        Image image = unpack(OPERATOR);
        assertThat(image.config().at("/config/User").asText()).isEqualTo("65532:65532");
        assertThat(strings(image.config().at("/config/Entrypoint"))).contains("-XX:MaxRAMPercentage=75.0")
                .endsWith("io.pnpoperator.operator.PnpOperator");

        // Logs are JSON lines by default, for a cluster's log collector.
        Run run = image.run(List.of(), Map.of());
        assertThat(run.exit()).as(run.output()).isEqualTo(2);
        JsonNode line = new ObjectMapper().readTree(run.output().lines().filter(l -> l.startsWith("{"))
                .filter(l -> l.contains("no namespace")).findFirst().orElseThrow(() -> new AssertionError(run.output())));
        assertThat(line.get("level").asText()).isEqualTo("ERROR");
        assertThat(line.get("loggerName").asText()).isEqualTo("io.pnpoperator.operator.PnpOperator");
        assertThat(line.get("formattedMessage").asText()).startsWith("pnp-operator: no namespace to watch: set PNP_NAMESPACE");

        Run text = image.run(List.of(), Map.of("PNP_LOG_FORMAT", "text"));
        assertThat(text.output()).containsPattern("(?m)^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR .*pnp-operator: no namespace to watch");
    }

    private record Run(int exit, String output) {
    }

    /** An image's config and its layers unpacked into one root file system. */
    private record Image(JsonNode config, Path root, Path home) {

        /** The image's entrypoint, with its /app paths under the unpacked root and the machine's java. */
        Run run(List<String> args, Map<String, String> env) throws Exception {
            List<String> command = new ArrayList<>();
            for (String part : strings(config.at("/config/Entrypoint"))) {
                command.add(part.startsWith("@/app/") ? classpath() : part);
            }
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
            builder.environment().put("HOME", home.toString());
            builder.environment().keySet().removeIf(k -> k.startsWith("KUBERNETES") || k.startsWith("PNP_"));
            // The container's environment as the image sets it, then what the test adds.
            config.at("/config/Env").forEach(e -> {
                String[] pair = e.asText().split("=", 2);
                if (!pair[0].equals("PATH")) {
                    builder.environment().put(pair[0], pair[1]);
                }
            });
            builder.environment().putAll(env);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            return new Run(process.exitValue(), output);
        }

        private String classpath() throws IOException {
            return Files.readString(root.resolve("app/jib-classpath-file")).strip().replace("/app/", root + "/app/");
        }
    }

    private Image unpack(Path tarball) throws Exception {
        if (!Files.isRegularFile(tarball)) {
            throw new IOException(tarball + " is missing: build the images first (mvn -Pimages package)");
        }
        Path image = Files.createDirectories(work.resolve(tarball.getParent().getParent().getFileName() + "-image"));
        tar(image, "-xf", tarball.toAbsolutePath().toString());
        // An OCI image layout: index.json names the manifest, which names the config and the layers, all by digest.
        ObjectMapper json = new ObjectMapper();
        JsonNode index = json.readTree(image.resolve("index.json").toFile());
        assertThat(index.at("/manifests/0/mediaType").asText()).isEqualTo("application/vnd.oci.image.manifest.v1+json");
        JsonNode manifest = json.readTree(blob(image, index.at("/manifests/0/digest").asText()).toFile());
        Path root = Files.createDirectories(image.resolve("root"));
        for (JsonNode layer : manifest.get("layers")) {
            tar(root, "-xzf", blob(image, layer.get("digest").asText()).toString());
        }
        return new Image(json.readTree(blob(image, manifest.at("/config/digest").asText()).toFile()), root,
                Files.createDirectories(image.resolve("home")));
    }

    private static Path blob(Path image, String digest) {
        return image.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    private static void tar(Path into, String mode, String archive) throws Exception {
        Process tar = new ProcessBuilder("tar", "--warning=no-unknown-keyword", mode, archive, "-C", into.toString())
                .redirectErrorStream(true).start();
        String said = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(said).isZero();
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
