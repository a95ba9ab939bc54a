package io.pnpoperator.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * The operator's own small HTTP port, for Kubernetes and Prometheus: {@code /healthz} (the process
 * answers), {@code /readyz} (the controllers have started) and {@code /metrics} (Prometheus text).
 */
final class HealthAndMetrics implements AutoCloseable {

    private final HttpServer server;

    HealthAndMetrics(int port, PrometheusMeterRegistry registry, BooleanSupplier ready) {
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
    }

    void start() {
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
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
