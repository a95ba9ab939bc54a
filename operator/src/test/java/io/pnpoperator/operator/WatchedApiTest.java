package io.pnpoperator.operator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WatchedApiTest {
    @Test
    void operatorWatchesTheProjectsApiGroup() {
        assertThat(WatchedApi.group()).isEqualTo("pnp.pnpoperator.io");
    }
}
