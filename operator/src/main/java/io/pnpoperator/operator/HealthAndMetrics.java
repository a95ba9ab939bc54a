package io.pnpoperator.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's own small HTTP port, for Kubernetes and Prometheus: {@code /healthz} (the process
 * answers), {@code /readyz} (the controllers have started) and {@code /metrics} (Prometheus text); and for the
 * endpoints, {@code /artifacts/images/<file>} and {@code /artifacts/files/<file>}: the artifacts volume, read-only,
 * from which each endpoint fills its own copy when the volume can be mounted by one node only.
 */
final class HealthAndMetrics implements AutoCloseable {

    private final HttpServer server;

    /** An artifact's path as the endpoints ask for it: a folder of the volume, a plain file name. */
    private static final Pattern ARTIFACT = Pattern.compile("/artifacts/(images|files)/([A-Za-z0-9][A-Za-z0-9._+-]*)");

    HealthAndMetrics(int port, PrometheusMeterRegistry registry, BooleanSupplier ready, Path artifacts) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        server.createContext("/healthz", exchange -> answer(exchange, 200, "ok\n", "text/plain"));
        server.createContext("/readyz", exchange -> answer(exchange, ready.getAsBoolean() ? 200 : 503,
                ready.getAsBoolean() ? "ready\n" : "starting\n", "text/plain"));
        server.createContext("/metrics", exchange -> answer(exchange, 200, registry.scrape(),
                "text/plain; version=0.0.4; charset=utf-8"));
        server.createContext("/artifacts/", exchange -> artifact(exchange, artifacts));
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** One artifact, whole; anything but a plain file of images/ or files/ is a 404. */
    private static void artifact(HttpExchange exchange, Path artifacts) throws IOException {
        Matcher asked = ARTIFACT.matcher(exchange.getRequestURI().getRawPath());
        if (!"GET".equals(exchange.getRequestMethod())) {
            answer(exchange, 405, "GET only\n", "text/plain");
            return;
        }
        Path file = asked.matches() ? artifacts.resolve(asked.group(1)).resolve(asked.group(2)) : null;
        if (file == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            answer(exchange, 404, "no such artifact\n", "text/plain");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.sendResponseHeaders(200, Files.size(file));
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
