package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pnpoperator.endpoint.protocol.Samples;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone admin API: open on loopback, behind {@code pnp.admin.token} once one is set, and never bound
 * beyond loopback without one. Health and metrics stay open for probes and Prometheus.
 */
class AdminAccessTest {

    @TempDir
    Path folder;

    @Test
    void withATokenTheAdminApiAnswersOnlyThoseWhoBringIt() {
        try (PnpServer server = PnpServer.start(Lab.create(folder), "--pnp.admin.token=s3cret-admin-token")) {
            server.post("/pnp/WORK-REQUEST", Samples.bytes("device-work-request-factory-reset.xml"));

            HttpResponse<String> none = server.get(server.adminUrl(), "/api/devices");
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"pnp-admin\"");
            assertThat(PnpServer.json(none.body()).get("error").asText())
                    .isEqualTo("the admin API needs the admin token: Authorization: Bearer <pnp.admin.token>");
            assertThat(server.get(server.adminUrl(), "/api/devices", "Authorization", "Bearer guess").statusCode())
                    .isEqualTo(401);
            assertThat(server.get(server.adminUrl(), "/api/devices", "Authorization", "Bearer s3cret-admin-token")
                    .statusCode()).isEqualTo(200);
            String basic = Base64.getEncoder().encodeToString("ops:s3cret-admin-token".getBytes(StandardCharsets.UTF_8));
            assertThat(server.get(server.adminUrl(), "/api/devices/fgl2548l0aw", "Authorization", "Basic " + basic)
                    .statusCode()).as("Basic with the token as password; the serial in any case").isEqualTo(200);

            assertThat(server.putStep("FGL2548L0AW", "{\"step\":\"FINISHED\"}").statusCode()).as("moving needs it too")
                    .isEqualTo(401);
            assertThat(PnpServer.json(server.get(server.adminUrl(), "/api/devices/FGL2548L0AW", "Authorization",
                    "Bearer s3cret-admin-token").body()).get("step").asText()).as("not moved").isEqualTo("NEW_DEVICE");

            assertThat(server.get(server.adminUrl(), "/actuator/health/readiness").statusCode()).isEqualTo(200);
            assertThat(server.get(server.adminUrl(), "/actuator/prometheus").statusCode()).isEqualTo(200);
            assertThat(server.get(server.adminUrl(), "/dashboard").statusCode()).as("the page; its data needs the token")
                    .isEqualTo(200);
        }
    }

    @Test
    void theAdminPortIsNotOpenedBeyondLoopbackWithoutAToken() {
        assertThatThrownBy(() -> PnpServer.start(Lab.create(folder), "--pnp.admin-address=0.0.0.0"))
                .hasStackTraceContaining("pnp.admin-address=0.0.0.0 makes the admin API (moving devices, reading every "
                        + "router's state) reachable from other machines: set pnp.admin.token (PNP_ADMIN_TOKEN) too, or "
                        + "keep the address on loopback");
    }
}
