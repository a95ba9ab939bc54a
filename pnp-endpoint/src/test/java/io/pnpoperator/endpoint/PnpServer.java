package io.pnpoperator.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The real server on real ports, started and stopped by tests; its state survives a restart. */
public final class PnpServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Lab lab;
    private final List<String> extraArgs;
    private final int devicePort;
    private final int adminPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private ConfigurableApplicationContext context;

    private PnpServer(Lab lab, List<String> extraArgs) {
        this.lab = lab;
        this.extraArgs = extraArgs;
        this.devicePort = freePort();
        this.adminPort = freePort();
    }

    public static PnpServer start(Lab lab, String... extraArgs) {
        PnpServer server = new PnpServer(lab, List.of(extraArgs));
        server.start();
        return server;
    }

    public void start() {
        List<String> args = new ArrayList<>(List.of(
                "--pnp.device-port=" + devicePort,
                "--pnp.admin-port=" + adminPort,
                "--pnp.data-dir=" + lab.path("data"),
                "--pnp.profile=" + lab.path("pnp-profile.yaml"),
                "--pnp.configs-dir=" + lab.path("configs"),
                "--pnp.images-dir=" + lab.path("images"),
                "--pnp.files-dir=" + lab.path("files"),
                "--logging.level.root=WARN"));
        args.addAll(extraArgs);
        context = new SpringApplicationBuilder(PnpEndpointApplication.class).run(args.toArray(String[]::new));
    }

    public void stop() {
        context.close();
    }

    public void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        if (context != null && context.isActive()) {
            context.close();
        }
    }

    public URI deviceUrl() {
        return URI.create("http://127.0.0.1:" + devicePort);
    }

    public URI adminUrl() {
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    public HttpResponse<String> get(URI base, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    public HttpResponse<String> post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(deviceUrl().resolve(path)).header("Content-Type", "text/xml")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /**
     * One HTTP/1.1 request to the device port sent from another loopback address than 127.0.0.1 (Linux answers on
     * all of 127/8): the whole answer, status line first. For what a second client, elsewhere, would get.
     */
    public String sendFrom(String address, String method, String path, byte[] body, String... headerLines) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(address, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", deviceUrl().getPort()));
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + String.join("", java.util.Arrays.stream(headerLines).map(h -> h + "\r\n").toList())
                    + (body.length > 0 ? "Content-Type: text/xml\r\nContent-Length: " + body.length + "\r\n" : "")
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> putStep(String serial, String json) {
        return send(HttpRequest.newBuilder(adminUrl().resolve("/api/devices/" + serial + "/step"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** POST /api/devices/{serial}/reprovision with this body (empty: from NEW_DEVICE). */
    public HttpResponse<String> reprovision(String serial, String json) {
        return send(HttpRequest.newBuilder(adminUrl().resolve("/api/devices/" + serial + "/reprovision"))
                .header("Content-Type", "application/json")
                .POST(json.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build());
    }

    /** GET /api/devices/{serial} as JSON; null when the server answers 404. */
    public JsonNode device(String serial) {
        HttpResponse<String> response = get(adminUrl(), "/api/devices/" + serial);
        return response.statusCode() == 404 ? null : json(response.body());
    }

    public JsonNode devices() {
        return json(get(adminUrl(), "/api/devices").body());
    }

    public String metrics() {
        return get(adminUrl(), "/actuator/prometheus").body();
    }

    /** The sum of a metric's samples in this server's Prometheus exposition. */
    public double metric(String name) {
        return metricValue(metrics(), name);
    }

    public static double metricValue(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
