package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a proxy or load balancer that forwards the router's address (the chart's endpoint.trustedProxies): the
 * router's address is taken from X-Forwarded-For only when the connection comes from a trusted proxy; anyone
 * else's header is ignored, so nobody can pose as another address (config URLs are bound to it).
 */
class TrustedProxyTest {

    @TempDir
    static Path folder;
    static PnpServer server;

    @BeforeAll
    static void start() {
        server = PnpServer.start(Lab.create(folder), "--server.forward-headers-strategy=native",
                "--server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theRoutersAddressComesFromATrustedProxyOnly() {
        assertThat(workRequestFrom("127.0.0.1", "FGL0000PRX1", "198.51.100.7")).startsWith("HTTP/1.1 200");
        assertThat(server.device("FGL0000PRX1").get("ipAddress").asText()).isEqualTo("198.51.100.7");

        assertThat(workRequestFrom("127.0.0.2", "FGL0000PRX2", "198.51.100.8")).startsWith("HTTP/1.1 200");
        assertThat(server.device("FGL0000PRX2").get("ipAddress").asText()).as("not a trusted proxy: header ignored")
                .isEqualTo("127.0.0.2");
    }

    private static String workRequestFrom(String address, String serial, String forwardedFor) {
        return server.sendFrom(address, "POST", "/pnp/WORK-REQUEST", ("<pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" "
                + "udi=\"PID:C1131-8PWB,VID:V01,SN:" + serial + "\"><info xmlns=\"urn:cisco:pnp:work-info\" correlator="
                + "\"c-1\"><deviceId><udi>PID:C1131-8PWB,VID:V01,SN:" + serial + "</udi><hostname>Router</hostname>"
                + "</deviceId></info></pnp>").getBytes(StandardCharsets.UTF_8), "X-Forwarded-For: " + forwardedFor);
    }
}
