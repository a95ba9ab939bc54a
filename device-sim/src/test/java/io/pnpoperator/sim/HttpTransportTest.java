package io.pnpoperator.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's HTTP side as a server sees it: one TCP connection a router, or one a message. */
class HttpTransportTest {

    static {
        PnpAgent.allowConnectionClose(); // as the simulator's main does, before any request is built
    }

    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pnp/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "<pnp/>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aRouterKeepsItsConnectionAliveByDefault() throws Exception {
        assertThat(portsOfThreeMessages(DeviceOptions.defaults())).hasSize(1);
    }

    @Test
    void withAConnectionPerMessageEachMessageArrivesOnANewConnection() throws Exception {
        assertThat(portsOfThreeMessages(DeviceOptions.defaults().withConnectionPerMessage())).hasSize(3);
    }

    private Set<Integer> portsOfThreeMessages(DeviceOptions options) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        PnpAgent.HttpTransport transport = new PnpAgent.HttpTransport(
                List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort())), options, http, new Stats());
        for (int i = 0; i < 3; i++) {
            assertThat(transport.post("/pnp/WORK-REQUEST", "<pnp/>", Instant.now().plusSeconds(10))).isNotEmpty();
        }
        return clientPorts;
    }
}
