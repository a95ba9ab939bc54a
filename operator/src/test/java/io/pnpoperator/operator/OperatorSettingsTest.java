package io.pnpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's settings bind from the environment as the endpoint's do: typed, with defaults, clear errors. */
class OperatorSettingsTest {

    @Test
    void defaultsHoldWhenNothingIsSet() {
        OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of("HOSTNAME", "pod-1"), "pnp");
        assertThat(settings).isEqualTo(new OperatorSettings("pnp", Path.of("/var/lib/pnp/artifacts"),
                "pnp-artifacts", OperatorSettings.FETCH_IMAGE, List.of(), null, Duration.ofMinutes(1), Duration.ofMinutes(15),
                true, true, 8080, "pod-1", new OperatorSettings.PodSecurity(null, null, null)));
    }

    @Test
    void environmentVariablesAreTheSettingsRelaxed() {
        OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of("PNP_NAMESPACE", "branches",
                "PNP_STALLED_AFTER", "PT30M", "PNP_HTTP_PORT", "9090",
                "PNP_ARTIFACTS_VOLUME", "images-nfs", "PNP_RECHECK", "30s", "PNP_FETCH_PULL_SECRETS",
                "registry-a,registry-b", "PNP_PODSECURITY_RUNASUSER", "1000680000"), "pnp");
        assertThat(settings.namespace()).isEqualTo("branches");
        assertThat(settings.stalledAfter()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.recheck()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.httpPort()).isEqualTo(9090);
        assertThat(settings.artifactsVolume()).isEqualTo("images-nfs");
        assertThat(settings.fetchPullSecrets()).containsExactly("registry-a", "registry-b");
        assertThat(settings.podSecurity()).as("the chart's podSecurityContext, each id only where it gives one")
                .isEqualTo(new OperatorSettings.PodSecurity(1000680000L, null, null));
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithTheVariable() {
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("PNP_HTTP_PORT", "eighty"), "pnp"))
                .isInstanceOf(OperatorSettings.InvalidSetting.class)
                .hasMessageStartingWith("PNP_HTTP_PORT='eighty' is not valid: ");
        assertThatThrownBy(() -> OperatorSettings.fromEnvironment(Map.of("PNP_STALLED_AFTER", "soon"), "pnp"))
                .hasMessageStartingWith("PNP_STALLED_AFTER='soon' is not valid: ");
    }
}
