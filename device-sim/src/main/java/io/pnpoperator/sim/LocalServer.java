package io.pnpoperator.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged standalone server ({@code pnp-endpoint.jar}) as a process of its own on free loopback ports: what
 * the dry run provisions simulated routers against, and what tests kill or take the disk from. Its output goes to
 * {@code log}; a server that stops before it is ready (a profile it refuses) is an error with the end of that log.
 */
public final class LocalServer implements AutoCloseable {

    private Path jar;
    private final List<String> args;
    private final Path log;
    private final HttpClient http = HttpClient.newHttpClient();
    private final int devicePort = freePort();
    private final int adminPort = freePort();
    private Process process;

    private LocalServer(Path jar, List<String> args, Path log) {
        this.jar = jar;
        this.args = List.copyOf(args);
        this.log = log;
    }

    /**
     * @param args the server's own arguments (profile, folders, data directory…); the ports are chosen here
     */
    public static LocalServer start(Path jar, List<String> args, Path log) throws IOException, InterruptedException {
        LocalServer server = new LocalServer(jar, args, log);
        server.start();
        return server;
    }

    /** Starts the process, on the same ports and arguments as before, and waits until it is ready. */
    public void start() throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no server at " + jar + ": build it (./pnp-server does) or give --server-jar");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-jar", jar.toAbsolutePath().toString(),
                "--pnp.device-port=" + devicePort, "--pnp.admin-port=" + adminPort));
        command.addAll(args);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Instant until = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(until)) {
            if (!process.isAlive()) {
                throw new IOException("the server stopped before it was ready:\n" + tail());
            }
            try {
                if (get("/actuator/health/readiness").contains("UP")) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        process.destroyForcibly();
        throw new IOException("the server was not ready within 60 s:\n" + tail());
    }

    /**
     * Starts another build of the server in this one's place, on its ports, arguments and data, and waits until it
     * is ready: an upgrade in place, once this one is stopped.
     */
    public void start(Path otherJar) throws IOException, InterruptedException {
        jar = otherJar;
        start();
    }

    /** SIGKILL, as a crash or an OOM killer would; whether the process was gone within 30 s. */
    public boolean kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(30, TimeUnit.SECONDS);
    }

    public long pid() {
        return process.pid();
    }

    public URI deviceUrl() {
        return URI.create("http://127.0.0.1:" + devicePort);
    }

    /** GET on the admin port: the body. */
    public String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The last lines the server wrote: why it stopped, when it did. */
    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
