package io.pnpoperator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's alerts through promtool's rule unit tests (helm/src/test/resources/rules/alerts-test.yaml): they
 * fire when what they name happens, and not otherwise, whether Prometheus scrapes the programs through
 * ServiceMonitors or by pod annotations.
 */
class AlertRulesTest {

    @TempDir
    Path folder;

    @Test
    void alertsPassPromtoolsRuleTests() throws Exception {
        PrometheusRule rule = Chart.all(Chart.render(Map.of("metrics.prometheusRule.enabled", true)),
                PrometheusRule.class).get(0);
        Files.writeString(folder.resolve("rules.yaml"), Serialization.asYaml(rule.getSpec()));
        Path tests = Files.copy(Path.of("src/test/resources/rules/alerts-test.yaml"),
                folder.resolve("alerts-test.yaml"));
        Process promtool = new ProcessBuilder("promtool", "test", "rules", tests.getFileName().toString())
                .directory(folder.toFile()).redirectErrorStream(true).start();
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println(said);
        assertThat(promtool.waitFor()).as(said).isZero();
        assertThat(said).contains("SUCCESS");
    }
}
