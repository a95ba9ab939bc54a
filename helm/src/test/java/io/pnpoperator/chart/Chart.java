package io.pnpoperator.chart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The chart as Helm renders it, read back as Kubernetes API objects. */
final class Chart {

    static final Path DIR = Path.of("pnp-operator");
    static final String RELEASE = "pnp";
    static final String NAMESPACE = "pnp";

    /** Every optional feature on, for lint and template. */
    static final Map<String, Object> EVERYTHING_ON = Map.ofEntries(
            Map.entry("operator.replicas", 2),
            Map.entry("endpoint.service.type", "NodePort"), Map.entry("endpoint.service.nodePort", 30080),
            Map.entry("endpoint.mariadb.enabled", true), Map.entry("endpoint.mariadb.url", "jdbc:mariadb://db:3306/pnp_db"),
            Map.entry("endpoint.mariadb.existingSecret", "pnp-db"), Map.entry("artifacts.existingClaim", "images-nfs"),
            Map.entry("artifacts.mode", "shared"),
            Map.entry("networkPolicy.enabled", true), Map.entry("metrics.serviceMonitor.enabled", true),
            Map.entry("metrics.prometheusRule.enabled", true), Map.entry("grafana.dashboard.enabled", true),
            Map.entry("grafana.dashboard.folder", "Network"), Map.entry("endpoint.tls.secretName", "pnp-tls"),
            Map.entry("endpoint.service.scheme", "https"), Map.entry("endpoint.service.port", 443),
            Map.entry("endpoint.sudiTrustBundle.configMap", "cisco-sudi-cas"));

    static final KubernetesSerialization KINDS = new KubernetesSerialization();
    /** Reads a manifest into its API type and refuses any field the type does not have. */
    private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated a) {
                    // The API types keep unknown fields in additionalProperties; here, an unknown field is an error.
                    return false;
                }
            });

    private Chart() {
    }

    static String template(Map<String, Object> values) {
        return template(RELEASE, values);
    }

    static String template(String release, Map<String, Object> values) {
        return template(release, NAMESPACE, values);
    }

    static String template(String release, String namespace, Map<String, Object> values) {
        TemplateCommand template = new Helm(DIR).template().withName(release).withNamespace(namespace);
        values.forEach(template::set);
        return template.call();
    }

    static List<HasMetadata> render(Map<String, Object> values) {
        return parse(template(values));
    }

    /** Each document of a rendered chart, as the API type of its kind; a kind or field unknown to the API fails. */
    static List<HasMetadata> parse(String manifests) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : manifests.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                continue;
            }
            HasMetadata typed = KINDS.unmarshal(document, HasMetadata.class);
            if (typed instanceof GenericKubernetesResource) {
                throw new AssertionError("not a known API type: " + typed.getApiVersion() + " " + typed.getKind());
            }
            try {
                objects.add(STRICT.readValue(document, typed.getClass()));
            } catch (IOException e) {
                throw new AssertionError(typed.getKind() + " " + typed.getMetadata().getName() + ": " + e.getMessage(), e);
            }
        }
        return objects;
    }

    static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return all(objects, type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
    }

    /** A copy of the chart (symbolic links followed) with {@code values} as its values.yaml, for helm lint. */
    static Path copyWithValues(Path into, String values) {
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path file : files.toList()) {
                Path target = into.resolve(DIR.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
            Files.writeString(into.resolve("values.yaml"), values);
            return into;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
