package io.pnpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pnpoperator.crds.profile.PnpProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Golden files of what the operator derives from a profile: each folder under {@code src/test/resources/derived}
 * is a case. Its {@code in-profile.yaml} is the profile, {@code in-volume.yaml} the files on the artifacts volume
 * (path: content), and any other {@code in-*.yaml} a resource the operator watches (the template ConfigMap, a
 * download Job, its Pod). Its {@code out-*.yaml} are what one reconcile derives: {@code out-status.yaml}, and
 * {@code out-<kind>-<name>.yaml} for each resource the dependents want ({@link PublishedConfigMap},
 * {@link DownloadJobs}). An expected file nothing derives, a derived resource without its file, or a file that is
 * neither fails the case. {@code -Dderived.update=true} rewrites the {@code out-*.yaml} from what is derived now:
 * read the diff before committing it.
 */
class DerivedResourcesTest {

    static final Path CASES = Path.of("src/test/resources/derived");
    static final Instant NOW = Instant.parse("2026-11-30T08:00:00Z");
    static final boolean UPDATE = Boolean.getBoolean("derived.update");

    final KubernetesSerialization yaml = new KubernetesSerialization();
    @TempDir
    Path volume;

    @TestFactory
    Stream<DynamicTest> everyCase() throws IOException {
        List<Path> cases;
        try (Stream<Path> folders = Files.list(CASES)) {
            cases = folders.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(cases).as("cases under " + CASES).isNotEmpty();
        return cases.stream().map(folder -> DynamicTest.dynamicTest(folder.getFileName().toString(), () -> {
            Map<String, String> derived = derive(folder);
            if (UPDATE) {
                update(folder, derived);
            }
            assertThat(expected(folder).keySet()).as("the case's out-*.yaml files").isEqualTo(derived.keySet());
            expected(folder).forEach((file, content) -> assertThat(derived.get(file)).as(file).isEqualTo(content));
        }));
    }

    /** One reconcile of the case's profile, and what its dependents want, each as the YAML of its out-*.yaml. */
    private Map<String, String> derive(Path folder) throws Exception {
        Path root = Files.createDirectories(volume.resolve(folder.getFileName().toString()));
        Map<Class<?>, List<?>> watched = new HashMap<>();
        PnpProfile profile = null;
        for (Path file : inputs(folder)) {
            String name = file.getFileName().toString();
            String text = Files.readString(file);
            if (name.equals("in-profile.yaml")) {
                profile = yaml.unmarshal(text, PnpProfile.class);
            } else if (name.equals("in-volume.yaml")) {
                place(root, yaml.unmarshal(text, Map.class));
            } else {
                HasMetadata resource = yaml.unmarshal(text);
                @SuppressWarnings("unchecked")
                List<Object> ofKind = (List<Object>) watched.computeIfAbsent(resource.getClass(), k -> new ArrayList<>());
                ofKind.add(resource);
            }
        }
        assertThat(profile).as(folder + "/in-profile.yaml").isNotNull();

        ArtifactFetch fetch = new ArtifactFetch(OperatorSettings.FETCH_IMAGE, List.of("registry-login"), "node-7",
                "pnp-artifacts", new OperatorSettings.PodSecurity(65532L, 65532L, 65532L));
        StubContext<PnpProfile> context = new StubContext<>(profile, watched);
        PnpProfileReconciler.withoutDependents(new ArtifactChecks(new ArtifactVolume(root, "pnp-artifacts")), fetch,
                Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC)).reconcile(profile, context);

        Map<String, String> derived = new TreeMap<>();
        derived.put("out-status.yaml", yaml.asYaml(profile.getStatus()));
        List<HasMetadata> wanted = new ArrayList<>(new DownloadJobs(fetch).desiredResources(profile, context).values());
        if (ProfileCheck.of(context).publishable()) {
            wanted.add(new PublishedConfigMap().desired(profile, context));
        }
        wanted.forEach(r -> derived.put("out-" + r.getKind().toLowerCase() + "-" + r.getMetadata().getName() + ".yaml",
                yaml.asYaml(r)));
        return derived;
    }

    /** Files on the volume as the case lists them; folders made as needed. */
    private static void place(Path root, Map<?, ?> files) throws IOException {
        for (Map.Entry<?, ?> file : files.entrySet()) {
            Path path = root.resolve(file.getKey().toString()).normalize();
            assertThat(path.startsWith(root)).as(file.getKey() + " is inside the volume").isTrue();
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue().toString());
        }
    }

    private static List<Path> inputs(Path folder) throws IOException {
        List<Path> inputs = new ArrayList<>();
        TreeSet<String> stray = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.sorted().forEach(file -> {
                String name = file.getFileName().toString();
                if (name.startsWith("in-") && name.endsWith(".yaml")) {
                    inputs.add(file);
                } else if (!(name.startsWith("out-") && name.endsWith(".yaml"))) {
                    stray.add(name);
                }
            });
        }
        assertThat(stray).as(folder + ": files neither in-*.yaml nor out-*.yaml").isEmpty();
        return inputs;
    }

    private static Map<String, String> expected(Path folder) throws IOException {
        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(f -> f.getFileName().toString().startsWith("out-")).forEach(f -> {
                try {
                    expected.put(f.getFileName().toString(), Files.readString(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return expected;
    }

    private static void update(Path folder, Map<String, String> derived) throws IOException {
        for (String file : expected(folder).keySet()) {
            Files.delete(folder.resolve(file));
        }
        for (Map.Entry<String, String> file : derived.entrySet()) {
            Files.writeString(folder.resolve(file.getKey()), file.getValue());
        }
    }
}
