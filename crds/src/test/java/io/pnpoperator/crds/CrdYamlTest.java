package io.pnpoperator.crds;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pnpoperator.crds.device.PnpDevice;
import io.pnpoperator.crds.profile.PnpProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs committed under crds/ (what users and the chart install) are what the build generates from the
 * Java types, with two steps of ours the generator cannot take: the printer columns in the order the types
 * declare them (the generator sorts them by JSON path, which would put AGE first), and condition lists as
 * Kubernetes' conventions describe them (a map list keyed by type, type and status required, status one of
 * True/False/Unknown, lastTransitionTime a date-time), which is what kubectl wait, kstatus and server-side
 * apply rely on. After changing a type, refresh them with {@code mvn -pl crds verify -Dcrds.update=true} and
 * review the diff.
 */
class CrdYamlTest {

    static final Path GENERATED = Path.of("target/classes/META-INF/fabric8");
    static final Path COMMITTED = Path.of(".");
    static final Map<String, Class<?>> TYPES = Map.of(
            "pnpdevices.pnp.pnpoperator.io-v1.yml", PnpDevice.class,
            "pnpprofiles.pnp.pnpoperator.io-v1.yml", PnpProfile.class);

    @Test
    void committedCrdsAreTheGeneratedOnesWithColumnsInDeclaredOrder() throws IOException {
        List<Path> generated = crdFiles(GENERATED);
        assertThat(generated).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrderElementsOf(TYPES.keySet());
        for (Path crd : generated) {
            String expected = committedForm(Files.readString(crd), TYPES.get(crd.getFileName().toString()));
            Path committed = COMMITTED.resolve(crd.getFileName());
            if (Boolean.getBoolean("crds.update")) {
                Files.writeString(committed, expected);
            }
            assertThat(committed).as("committed " + crd.getFileName()).exists();
            assertThat(Files.readString(committed))
                    .as(committed + " differs from the generated CRD: run mvn -pl crds verify -Dcrds.update=true")
                    .isEqualTo(expected);
        }
    }

    /**
     * The digest of both CRDs' specs at each schema revision. A change of the schema fails here until
     * {@link PnpApi#SCHEMA_REVISION} is raised and the new digest recorded beside it: an operator only ever replaces
     * a cluster's CRD with a later revision, so a change without one would never reach clusters that have the last.
     */
    static final Map<Integer, String> SCHEMA_DIGESTS = Map.of(
            1, "d3a19df948c14587b936370781504b3d6b2e9d102891232f68272f54027a72f8");

    @Test
    void aChangedSchemaHasANewRevision() throws IOException, NoSuchAlgorithmException {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (String file : new TreeSet<>(TYPES.keySet())) {
            CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(COMMITTED.resolve(file)),
                    CustomResourceDefinition.class);
            sha256.update(Serialization.asYaml(crd.getSpec()).getBytes(StandardCharsets.UTF_8));
        }
        String digest = HexFormat.of().formatHex(sha256.digest());
        assertThat(SCHEMA_DIGESTS.get(PnpApi.SCHEMA_REVISION)).as("the CRDs' schema at revision %d: if it changed, "
                + "raise PnpApi.SCHEMA_REVISION and record %s for the new revision in SCHEMA_DIGESTS",
                PnpApi.SCHEMA_REVISION, digest).isEqualTo(digest);
    }

    @Test
    void deviceColumnsReadAsKubectlUsersExpect() throws IOException {
        CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(
                COMMITTED.resolve("pnpdevices.pnp.pnpoperator.io-v1.yml")), CustomResourceDefinition.class);
        assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .extracting(CustomResourceColumnDefinition::getName)
                .containsExactly("SERIAL", "PROFILE", "READY", "PHASE", "STEP", "PID", "VERSION", "LAST-CONTACT", "AGE");
        assertThat(crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
                .filteredOn(c -> c.getPriority() != null && c.getPriority() > 0)
                .extracting(CustomResourceColumnDefinition::getName).as("shown by -o wide only")
                .containsExactly("PID", "VERSION", "LAST-CONTACT");
        assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("pnpdev");
        assertThat(crd.getSpec().getNames().getCategories()).containsExactly("pnp");
        assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus()).isNotNull();
    }

    static String committedForm(String yaml, Class<?> type) {
        List<String> declared = Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
        crd.getMetadata().setAnnotations(Map.of(PnpApi.SCHEMA_REVISION_ANNOTATION,
                Integer.toString(PnpApi.SCHEMA_REVISION)));
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            version.getAdditionalPrinterColumns().sort(Comparator.comparing(c -> declared.indexOf(c.getName())));
            conditionsByConvention(version.getSchema().getOpenAPIV3Schema());
        }
        return "# Generated by the fabric8 CRD generator from the crds module's types; printer columns in declared\n"
                + "# order, conditions by convention. Do not edit: refresh with mvn -pl crds verify -Dcrds.update=true\n"
                + Serialization.asYaml(crd);
    }

    /** Every {@code conditions} list in the schema, as the API conventions describe a condition list. */
    private static void conditionsByConvention(JSONSchemaProps schema) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().forEach((name, property) -> {
            JSONSchemaProps items = property.getItems() == null ? null : property.getItems().getSchema();
            if (name.equals("conditions") && items != null && items.getProperties().containsKey("status")) {
                property.setXKubernetesListType("map");
                property.setXKubernetesListMapKeys(List.of("type"));
                items.setRequired(List.of("type", "status"));
                items.getProperties().get("status").setEnum(List.of(TextNode.valueOf("True"), TextNode.valueOf("False"),
                        TextNode.valueOf("Unknown")));
                items.getProperties().get("lastTransitionTime").setFormat("date-time");
                items.getProperties().get("observedGeneration").setMinimum(0.0);
            } else {
                conditionsByConvention(property);
            }
        });
    }

    private static List<Path> crdFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
