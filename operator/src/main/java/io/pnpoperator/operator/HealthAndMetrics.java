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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    /** Copies served at once; more wait their turn. An image is 0.7-1 GB, and a copy lasts as long as its reader. */
    static final int COPIES = 4;
    /** Copies waiting for a thread; beyond them an endpoint is told to come back (503, Retry-After). */
    static final int WAITING_COPIES = 32;

    private final HttpServer server;
    /** Probes and metrics: never behind a copy. */
    private final ExecutorService answers = Executors.newFixedThreadPool(2, named("http"));
    private final ThreadPoolExecutor copies = new ThreadPoolExecutor(COPIES, COPIES, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(WAITING_COPIES), named("artifact-copy"));

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
        server.createContext("/artifacts/", exchange -> {
            try {
                copies.execute(() -> copy(exchange, artifacts));
            } catch (RejectedExecutionException busy) {
                exchange.getResponseHeaders().set("Retry-After", "10");
                answer(exchange, 503, "busy copying artifacts; come back later\n", "text/plain");
            }
        });
        server.setExecutor(answers);
    }

    private static ThreadFactory named(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "operator-" + name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** A copy on a thread of its own: a reader as slow as it likes holds that thread, nothing else. */
    private static void copy(HttpExchange exchange, Path artifacts) {
        try {
            artifact(exchange, artifacts);
        } catch (IOException readerGone) {
            // the endpoint went away mid-copy: it asks again, and checks what it got against the MD5
        } finally {
            exchange.close();
        }
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
        copies.shutdownNow();
        answers.shutdownNow();
    }
}
