package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What people read after an install (NOTES) and what Prometheus and Grafana read: both apps' metrics, as
 * their own tests scraped them from the running programs, pass {@code promtool check metrics}, and every
 * metric the dashboard and the alerts query is one the apps export.
 */
class NotesAndMetricsTest {

    static final Path ENDPOINT_METRICS = Path.of("../pnp-endpoint/target/metrics-exposition.txt");
    static final Path OPERATOR_METRICS = Path.of("../operator/target/metrics-exposition.txt");
    /** A metric name in PromQL: ours, java-operator-sdk's, Spring's HTTP ones. */
    static final Pattern METRIC = Pattern.compile("\\b((?:pnp|operator_sdk|http_server)_[a-z0-9_]+)");

    @Test
    void notesGiveTheOption43StringAndTheNextCommands() {
        assertThat(notes(Map.of("endpoint.service.loadBalancerIP", "192.0.2.10")))
                .contains("5A1D;B2;K4;I192.0.2.10;J80").contains("kubectl get pnpdevices -n pnp -w");
        assertThat(notes(Map.of())).contains("5A1D;B2;K4;I<address>;J80")
                .contains("kubectl get service -n pnp pnp-pnp-devices -o jsonpath='{.status.loadBalancer.ingress[0].ip}'");
        assertThat(notes(Map.of("endpoint.service.scheme", "https", "endpoint.service.port", 443,
                "endpoint.service.loadBalancerIP", "192.0.2.10"))).contains("5A1D;B2;K5;I192.0.2.10;J443")
                .contains("terminate TLS in front of the endpoint");
    }

    @Test
    void bothExpositionsPassPromtool() throws Exception {
        for (Path exposition : List.of(ENDPOINT_METRICS, OPERATOR_METRICS)) {
            Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true)
                    .redirectInput(existing(exposition).toFile()).start();
            String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(promtool.waitFor()).as(exposition + ":\n" + said).isZero();
            assertThat(said).as(exposition.toString()).isBlank();
        }
    }

    @Test
    void theDashboardAndTheAlertsQueryOnlyMetricsTheAppsExport() throws Exception {
        Set<String> exported = new HashSet<>();
        for (Path exposition : List.of(ENDPOINT_METRICS, OPERATOR_METRICS)) {
            Files.readAllLines(existing(exposition)).stream().filter(l -> l.startsWith("# TYPE "))
                    .map(l -> l.split(" ")[2]).forEach(exported::add);
        }
        JsonNode dashboard = new ObjectMapper().readTree(Chart.DIR.resolve("files/pnp-fleet-dashboard.json").toFile());
        List<String> queries = dashboard.findValues("expr").stream().map(JsonNode::asText).collect(Collectors.toList());
        Chart.all(Chart.render(Chart.EVERYTHING_ON), PrometheusRule.class).get(0).getSpec().getGroups().get(0).getRules()
                .stream().map(Rule::getExpr).map(e -> e.getStrVal()).forEach(queries::add);

        Set<String> queried = new TreeSet<>();
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                queried.add(m.group(1).replaceAll("_(bucket|count|sum)$", ""));
            }
        }
        assertThat(queried).hasSizeGreaterThan(10);
        assertThat(queried).allSatisfy(name -> assertThat(exported).as("exported metrics").contains(name));
    }

    private static String notes(Map<String, Object> values) {
        InstallCommand install = new Helm(Chart.DIR).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .clientOnly().withDryRunOption(DryRun.CLIENT);
        values.forEach(install::set);
        return install.call().getOutput();
    }

    private static Path existing(Path exposition) throws IOException {
        if (!Files.isRegularFile(exposition)) {
            throw new IOException(exposition + " is missing: it is written by that module's tests (mvn verify runs them "
                    + "before this module's)");
        }
        return exposition;
    }
}
