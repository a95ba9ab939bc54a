package io.pnpoperator.endpoint.profile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pnpoperator.crds.PnpApi;
import io.pnpoperator.crds.profile.ArtifactFile;
import io.pnpoperator.crds.profile.DayZeroConfig;
import io.pnpoperator.crds.profile.MatchRules;
import io.pnpoperator.crds.profile.Image;
import io.pnpoperator.crds.profile.PnpProfile;
import io.pnpoperator.crds.profile.PnpProfileSpec;
import io.pnpoperator.crds.profile.SpecCheck;
import io.pnpoperator.endpoint.artifacts.ArtifactCatalog;
import io.pnpoperator.endpoint.artifacts.ArtifactCatalog.Kind;
import io.pnpoperator.endpoint.artifacts.ConfigFolder;
import io.pnpoperator.endpoint.protocol.Credentials;
import io.pnpoperator.endpoint.provisioning.ProfileSource;
import io.pnpoperator.endpoint.workflow.Phase;
import io.pnpoperator.endpoint.workflow.Profile;
import io.pnpoperator.toolkit.files.FileDigests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * One of the standalone server's profiles: a PnpProfile resource in a local file (several, one a YAML document),
 * checked against the local folders at start. Anything it names that is missing or malformed stops the server with a message
 * naming the path, before a device is told to fetch it.
 */
public record StandaloneProfile(String name, PnpProfileSpec spec, Profile profile, ArtifactCatalog catalog,
                                ConfigFolder configs, Optional<Credentials> credentials) {

    static final String KIND = "PnpProfile";
    /**
     * The file is a person's: a misspelt field is refused. The types skip fields they do not know (what a newer
     * release writes in a cluster); here that is overruled.
     */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
                    return super.findPropertyIgnoralByName(config, a).withoutIgnoreUnknown();
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /** Where the standalone server keeps what it serves. */
    public record Folders(Path configs, Path images, Path files) {
    }

    /**
     * The profiles of a file (one YAML document each), checked against the folders; their images and files are
     * measured at once, in one catalog of everything the profiles name.
     *
     * @param background where a file replaced while the server runs is measured again
     */
    public static List<StandaloneProfile> loadAll(Path file, Folders folders, Executor background) {
        List<PnpProfile> manifests = read(file);
        Map<Kind, Map<String, Path>> named = new EnumMap<>(Map.of(Kind.IMAGE, new LinkedHashMap<>(),
                Kind.FILE, new LinkedHashMap<>()));
        List<String> places = new ArrayList<>();
        for (int i = 0; i < manifests.size(); i++) {
            String where = "profile " + file + (manifests.size() > 1 ? " (document " + (i + 1) + ")" : "");
            places.add(where);
            collect(manifests.get(i), where, folders, named);
        }
        refuseDuplicatesAndConflicts(file, manifests);
        ArtifactCatalog catalog = new ArtifactCatalog(() -> named, background);
        named.forEach((kind, byName) -> byName.keySet().forEach(name -> catalog.measure(kind, name)));
        List<StandaloneProfile> profiles = new ArrayList<>();
        for (int i = 0; i < manifests.size(); i++) {
            profiles.add(of(manifests.get(i), places.get(i), file, folders, catalog));
        }
        return List.copyOf(profiles);
    }

    /** Checks a profile's spec and adds the paths of the images and files it names to {@code named}. */
    private static void collect(PnpProfile manifest, String where, Folders folders, Map<Kind, Map<String, Path>> named) {
        if (manifest.getMetadata() == null || blank(manifest.getMetadata().getName())) {
            throw new ProfileException(where + ": metadata.name is required");
        }
        PnpProfileSpec spec = manifest.getSpec();
        if (spec == null) {
            throw new ProfileException(where + ": spec is required");
        }
        SpecCheck.problems(spec).stream().findFirst().ifPresent(problem -> {
            throw new ProfileException(where + ": " + problem);
        });
        spec.imagesByField().forEach((field, i) -> {
            require(blank(i.url()), where + ": " + field + ".url is for a cluster, where the operator downloads the "
                    + "image; here, put the file in " + folders.images());
            named.get(Kind.IMAGE).put(i.file(), existing(folders.images(), i.file(), field + ".file", where));
        });
        List<ArtifactFile> fileSpecs = spec.files() == null ? List.of() : spec.files();
        for (int i = 0; i < fileSpecs.size(); i++) {
            ArtifactFile f = fileSpecs.get(i);
            String field = "spec.files[" + i + "]";
            require(blank(f.url()), where + ": " + field + ".url is for a cluster, where the operator downloads the "
                    + "file; here, put the file in " + folders.files());
            named.get(Kind.FILE).put(f.name(), existing(folders.files(), f.name(), field + ".name", where));
        }
    }

    /** Two profiles of one name, or two rules a router could meet at the same priority, stop the server. */
    private static void refuseDuplicatesAndConflicts(Path file, List<PnpProfile> manifests) {
        Set<String> names = new HashSet<>();
        manifests.forEach(m -> require(names.add(m.getMetadata().getName()), "profile " + file + ": two profiles are "
                + "named " + m.getMetadata().getName()));
        List<MatchRules.Rule> rules = rules(manifests);
        for (MatchRules.Rule rule : rules) {
            List<String> others = MatchRules.conflicts(rule, rules);
            require(others.isEmpty(), "profile " + file + ": " + MatchRules.conflictMessage(rule.profile(), others));
        }
    }

    private static List<MatchRules.Rule> rules(List<PnpProfile> manifests) {
        return manifests.stream().map(m -> new MatchRules.Rule(m.getMetadata().getName(), m.getSpec().match())).toList();
    }

    private static StandaloneProfile of(PnpProfile manifest, String where, Path file, Folders folders,
                                        ArtifactCatalog catalog) {
        PnpProfileSpec spec = manifest.getSpec();
        spec.imagesByField().forEach((field, i) -> {
            FileDigests.Digest measured = catalog.measure(Kind.IMAGE, i.file()).orElseThrow();
            require(blank(i.md5()) || i.md5().equals(measured.md5()), where + ": " + field + ".md5 is " + i.md5()
                    + " but " + measured.path() + " has MD5 " + measured.md5());
        });
        ConfigFolder configs = ConfigFolder.none();
        if (spec.config() != null) {
            DayZeroConfig c = spec.config();
            require(blank(c.configMap()), where + ": spec.config.configMap is for a cluster; here the template is a "
                    + "file in " + folders.configs());
            configs = new ConfigFolder(folders.configs(), Optional.of(existing(folders.configs(), c.template(),
                    "spec.config.template", where)), !Boolean.FALSE.equals(c.perDevice()));
        }
        Optional<Credentials> credentials = Optional.ofNullable(spec.credentialsSecret()).filter(s -> !s.isBlank())
                .map(secret -> {
                    try {
                        return DeviceCredentials.fromFile(file.toAbsolutePath().getParent(), secret);
                    } catch (ProfileException e) {
                        throw new ProfileException(where + ": " + e.getMessage());
                    }
                });
        String name = manifest.getMetadata().getName();
        Profile profile = ProfileMapping.toWorkflow(name, spec, (kind, artifact) -> catalog.measure(kind, artifact)
                .map(FileDigests.Digest::md5), credentials);
        return new StandaloneProfile(name, spec, profile, catalog, configs, credentials);
    }

    /**
     * The profile for a device now, with the MD5s its files have now; held while one of them is missing, being
     * measured after it was replaced, or not the image {@code spec.image.md5} names.
     */
    public ProfileSource.Assignment assignment() {
        Optional<ArtifactCatalog.Unavailable> problem = catalog.problem(spec, (kind, artifact) -> kind == Kind.IMAGE
                ? spec.allImages().stream().filter(i -> i.file().equals(artifact)).map(Image::md5)
                        .filter(md5 -> !blank(md5)).findFirst() : Optional.empty());
        if (problem.isPresent()) {
            return new ProfileSource.Held("profile " + name + ": " + problem.get().reason(), Phase.PENDING,
                    problem.get().measuring(), Optional.of(profile));
        }
        return new ProfileSource.Assigned(ProfileMapping.toWorkflow(name, spec, (kind, artifact) ->
                catalog.offer(kind, artifact, Optional.empty()).md5(), credentials));
    }

    /** The profiles of the file, one a YAML document ({@code ---} between them). */
    private static List<PnpProfile> read(Path file) {
        try {
            byte[] yaml = Files.readAllBytes(file);
            List<PnpProfile> profiles = new ArrayList<>();
            try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
                while (documents.hasNext()) {
                    JsonNode tree = documents.next();
                    if (tree == null || tree.isNull() || tree.isMissingNode() || tree.isEmpty()) {
                        continue; // an empty document, as a trailing --- leaves
                    }
                    // A resource object takes its kind from its class, so the document's apiVersion and kind are read first.
                    String apiVersion = tree.path("apiVersion").asText();
                    String kind = tree.path("kind").asText();
                    if (!PnpApi.API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
                        throw new ProfileException("profile " + file + ": expected apiVersion " + PnpApi.API_VERSION
                                + " and kind " + KIND + ", found " + apiVersion + " and " + kind);
                    }
                    profiles.add(YAML.treeToValue(tree, PnpProfile.class));
                }
            }
            require(!profiles.isEmpty(), "profile " + file + " holds no PnpProfile");
            return profiles;
        } catch (NoSuchFileException e) {
            throw new ProfileException("profile " + file + " not found: set pnp.profile to your PnpProfile file");
        } catch (JsonProcessingException e) {
            throw new ProfileException("profile " + file + " is not a valid PnpProfile: " + e.getOriginalMessage()
                    + locationOf(e));
        } catch (IOException e) {
            throw new ProfileException("profile " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
    }

    /** A file name of the profile (a plain name: {@link SpecCheck} saw to it), resolved in its folder. */
    private static Path existing(Path folder, String name, String field, String where) {
        Path path = folder.resolve(name);
        require(Files.isRegularFile(path), where + ": " + field + " names " + path + ", which does not exist");
        return path;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new ProfileException(message);
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
