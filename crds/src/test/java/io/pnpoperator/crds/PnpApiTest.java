package io.pnpoperator.crds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PnpApiTest {
    @Test
    void apiVersionIsGroupSlashVersionAsKubernetesExpects() {
        assertThat(PnpApi.GROUP).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+");
        assertThat(PnpApi.API_VERSION).isEqualTo("pnp.pnpoperator.io/v1alpha1");
    }
}
