package io.pnpoperator.sim;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * The PnP agent of one simulated router: HELLO, then work request, work, work response, again and again,
 * obeying backoffs, until the server parks it with a long backoff or the deadline passes.
 */
public final class PnpAgent {

    /**
     * How a device's simulation ended: parked by a long backoff (with the server's reason), or timed out; and how
     * many of the server's messages it refused as a strict agent does (see {@link SimulatedRouter#refused()}).
     */
    public record Result(String serial, boolean parked, String reason, int exchanges, int refused) {
        /** Parked with the backoff the server gives provisioned devices. */
        public boolean finished() {
            return parked && reason.equals("provisioned");
        }
    }

    static final Duration RETRY_PAUSE = Duration.ofSeconds(10);
    static final Duration RETRY_PAUSE_MIN = Duration.ofMillis(100);
    /** How long a request waits for the server's answer to begin, as an agent's HTTP client gives up on a silent one. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How the agent reaches its server: over HTTP ({@link HttpTransport}), or within one process (a dry run inside
     * the server).
     */
    public interface Transport {
        /** The server's HELLO: whether it is there. */
        void hello() throws IOException, InterruptedException;

        /** Posts a PnP message and reads the answer (XML), trying again as a real agent does until {@code deadline}. */
        byte[] post(String path, String xml, Instant deadline) throws IOException, InterruptedException;

        /** Copies what the server asked the router to copy. */
        byte[] download(URI source) throws IOException;
    }

    private final Transport transport;
    private final SimulatedRouter router;
    private final DeviceOptions options;
    private int counter;
    private int exchanges;
    private Instant deadline = Instant.MAX;

    /**
     * Lets requests carry {@code Connection: close} ({@link DeviceOptions#connectionPerMessage()}): the JDK's HTTP
     * client refuses that header unless told otherwise before it first checks one, so this runs first in a process.
     */
    public static void allowConnectionClose() {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "connection");
    }

    public PnpAgent(URI server, SimulatedRouter router, DeviceOptions options, HttpClient http, Stats stats) {
        this(List.of(server), router, options, http, stats);
    }

    /**
     * A router that sends each message to the next of several servers, as behind a load balancer; {@code servers}
     * may change while it runs (a thread-safe list), as a Service's endpoints do during a rollout.
     */
    public PnpAgent(List<URI> servers, SimulatedRouter router, DeviceOptions options, HttpClient http, Stats stats) {
        this(new HttpTransport(servers, options, http, stats), router, options);
    }

    public PnpAgent(Transport transport, SimulatedRouter router, DeviceOptions options) {
        this.transport = transport;
        this.router = router;
        this.options = options;
    }

    public SimulatedRouter router() {
        return router;
    }

    /** Runs the device's dialog until it is parked or {@code deadline} passes. */
    public Result run(Instant until) throws InterruptedException {
        deadline = until;
        try {
            transport.hello();
            while (Instant.now().isBefore(deadline)) {
                String correlator = "CiscoPnP-1.0-" + router.serial() + "-" + (++counter);
                Element answer = post("/pnp/WORK-REQUEST", workRequest(correlator));
                Optional<Element> request = Xml.child(answer, "request");
                if (request.isEmpty()) {
                    continue;
                }
                SimulatedRouter.Answer done = router.handle(answer, correlator, transport::download);
                Element reply = post("/pnp/WORK-RESPONSE", done.xml());
                if (options.repeatResponses()) {
                    reply = post("/pnp/WORK-RESPONSE", done.xml());
                }
                router.acknowledged(reply);
                Optional<Backoff> wait = backoff(request.get());
                if (done.reloadAfter()) {
                    Thread.sleep(options.scaled(options.reloadTime()).toMillis());
                    router.reload();
                }
                if (wait.isPresent()) {
                    if (wait.get().after().compareTo(options.parkAfter()) >= 0) {
                        return new Result(router.serial(), true, wait.get().reason(), exchanges, router.refused().size());
                    }
                    Thread.sleep(options.scaled(wait.get().after()).toMillis());
                }
            }
        } catch (IOException e) {
            return new Result(router.serial(), false, "server unreachable: " + e, exchanges, router.refused().size());
        }
        return new Result(router.serial(), false, "deadline passed", exchanges, router.refused().size());
    }

    /** A backoff the server asked for: how long, and why. */
    private record Backoff(Duration after, String reason) {
    }

    private static Optional<Backoff> backoff(Element request) {
        return Xml.child(request, "backoff").map(b -> {
            Duration after = Xml.child(b, "callbackAfter").map(c -> Duration.ofHours(number(c, "hours"))
                    .plusMinutes(number(c, "minutes")).plusSeconds(number(c, "seconds"))).orElse(Duration.ZERO);
            return new Backoff(after, Xml.text(b, "reason").orElse(""));
        });
    }

    private static long number(Element parent, String name) {
        return Xml.text(parent, name).map(Long::parseLong).orElse(0L);
    }

    /** A work request; the first after a boot says why the router reloaded and whether it found a startup config. */
    private String workRequest(String correlator) {
        String reason = router.bootToReport() ? "<reason><reload><message>"
                + (router.startupSaved() ? "Reload Command" : "factory-reset") + "</message><code>PnP Service Info "
                + "2408</code><startupConfigPresent>" + router.startupSaved() + "</startupConfigPresent></reload></reason>"
                : "";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><pnp xmlns=\"urn:cisco:pnp\" version=\"1.0\" udi=\""
                + router.udi() + "\"><info xmlns=\"urn:cisco:pnp:work-info\" correlator=\"" + correlator
                + "\"><deviceId><udi>" + router.udi() + "</udi><hostname>Router</hostname><authRequired>"
                + router.authRequired() + "</authRequired><viaProxy>false</viaProxy></deviceId>" + reason
                + "</info></pnp>";
    }

    private Element post(String path, String xml) throws IOException, InterruptedException {
        Element answer = Xml.parse(transport.post(path, xml, deadline));
        exchanges++;
        return answer;
    }

    /** The agent's server over HTTP, one server after the other when there are several (a load balancer). */
    public static final class HttpTransport implements Transport {

        private final List<URI> servers;
        private final DeviceOptions options;
        private final HttpClient http;
        private final Stats stats;
        private int posts;

        public HttpTransport(List<URI> servers, DeviceOptions options, HttpClient http, Stats stats) {
            this.servers = servers;
            this.options = options;
            this.http = http;
            this.stats = stats;
        }

        @Override
        public void hello() throws IOException, InterruptedException {
            URI uri = servers.get(0).resolve("/pnp/HELLO");
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(ANSWER_TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered HTTP " + response.statusCode());
            }
        }

        /**
         * Posts a message and reads the answer. Like a real agent, a device whose server is unreachable or
         * answers 5xx sends the same message again after a pause, until the deadline; a 4xx is final.
         */
        @Override
        public byte[] post(String path, String xml, Instant deadline) throws IOException, InterruptedException {
            while (true) {
                // Each try to the next server: a load balancer sends a new connection to a live one.
                URI server = servers.get(posts++ % servers.size());
                HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(ANSWER_TIMEOUT)
                        .header("Content-Type", "text/xml; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(xml, StandardCharsets.UTF_8));
                if (options.connectionPerMessage()) {
                    request.header("Connection", "close");
                }
                long start = System.nanoTime();
                String failure;
                HttpResponse<byte[]> response = null;
                try {
                    response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                    failure = path + " answered HTTP " + response.statusCode() + ": "
                            + new String(response.body(), StandardCharsets.UTF_8).trim();
                } catch (IOException e) {
                    failure = path + ": " + e;
                }
                if (response != null && response.statusCode() == 200) {
                    stats.exchanged(System.nanoTime() - start);
                    return response.body();
                }
                if (response != null && response.statusCode() < 500) {
                    throw new IOException(failure);
                }
                stats.httpError(failure);
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException(failure);
                }
                Thread.sleep(Math.max(RETRY_PAUSE_MIN.toMillis(), options.scaled(RETRY_PAUSE).toMillis()));
            }
        }

        @Override
        public byte[] download(URI source) throws IOException {
            try {
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(source).timeout(ANSWER_TIMEOUT)
                        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 200) {
                    throw new IOException("HTTP " + response.statusCode());
                }
                stats.downloaded(response.body().length);
                return response.body();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
