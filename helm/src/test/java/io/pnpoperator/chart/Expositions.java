package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What Prometheus and Grafana read, checked against what the running programs export: each exposition
 * passes {@code promtool check metrics}, and every metric the chart's dashboard and alerts query is one
 * of them.
 */
final class Expositions {

    /** A metric name in PromQL: ours, java-operator-sdk's, Spring's HTTP ones. */
    static final Pattern METRIC = Pattern.compile("\\b((?:pnp|operator_sdk|http_server)_[a-z0-9_]+)");

    private Expositions() {
    }

    static void assertPromtoolAccepts(String name, String exposition) throws IOException, InterruptedException {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(exposition.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(promtool.waitFor()).as(name + ":\n" + said).isZero();
        assertThat(said).as(name).isBlank();
    }

    static void assertDashboardAndAlertsQueryOnly(List<String> expositions) throws IOException {
        Set<String> exported = expositions.stream().flatMap(String::lines).filter(l -> l.startsWith("# TYPE "))
                .map(l -> l.split(" ")[2]).collect(Collectors.toSet());
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
}
