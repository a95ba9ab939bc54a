package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.Fleet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that hold on to the server, as seen against the packaged server: 100 connections from an address that is
 * not the routers' send a PnP message's headers with {@code Content-Length: 100000}, then its body one byte every
 * 5 s (below the read timeout, so no read ever times out), reconnecting whenever they are cut off; 64 more copy a
 * 16 MB image at 80 kB/s. The device port has 64 threads. A server that refuses such a body after its body timeout
 * but then reads the rest of it before closing (Tomcat's default) gives each of them a thread for hours: no router
 * finishes and HELLO goes unanswered. Routers are provisioned once alone and once beside the slow clients; with
 * them they must finish within twice the time alone, and HELLO must answer within a second throughout. Prints what
 * it measured (docs/benchmarks.md keeps the figures).
 */
class SlowClientsTest {

    static final int ROUTERS = 50;
    static final int SLOW_BODIES = 100;
    static final int SLOW_DOWNLOADS = 64;
    static final int IMAGE_BYTES = 16 << 20;
    static final Duration DRIP = Duration.ofSeconds(5);
    /** Drips each slow body has sent before routers come: past the server's 10 s body timeout. */
    static final int DRIPS_BEFORE_ROUTERS = 3;
    static final Duration HELLO_BUDGET = Duration.ofSeconds(1);

    @TempDir
    Path folder;
    PnpServer server;
    final AtomicBoolean attacking = new AtomicBoolean(true);
    final List<Thread> attackers = new ArrayList<>();
    final CountDownLatch slowBodiesPastTimeout = new CountDownLatch(SLOW_BODIES);
    final AtomicLong bodyConnections = new AtomicLong();
    final AtomicLong bytesDownloaded = new AtomicLong();
    final ConcurrentLinkedQueue<String> helloFailures = new ConcurrentLinkedQueue<>();
    final AtomicLong hellos = new AtomicLong();
    final AtomicLong slowestHelloMillis = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        Lab lab = Lab.create(folder);
        byte[] image = new byte[IMAGE_BYTES];
        new Random(7).nextBytes(image);
        Files.write(lab.path("images").resolve(Lab.IMAGE), image);
        // The honest routers all call from 127.0.0.1, as a bench behind one NAT address: their registrations are
        // allowed for; the limit of requests per address is left as it is.
        server = PnpServer.start(lab, "--pnp.limits.registrations-per-minute=" + 2 * ROUTERS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        attacking.set(false);
        for (Thread t : attackers) {
            t.interrupt();
            t.join(5000);
        }
        server.close();
    }

    @Test
    void routersAreProvisionedWhileSlowClientsHoldOn() throws Exception {
        // Routers already on the target version: the image is copied only by the slow ones.
        DeviceOptions onTarget = Routers.FAST.withVersion("17.14.01a");
        Fleet.Summary alone = Fleet.run(server.deviceUrl(), ROUTERS, ROUTERS, "ALONE", onTarget, Duration.ofSeconds(120));
        assertThat(alone.finished()).as(alone.print()).isEqualTo(ROUTERS);

        attack("hello-prober", this::sayHello);
        for (int i = 0; i < SLOW_BODIES; i++) {
            attack("slow-body-" + i, new SlowBody()::send);
        }
        for (int i = 0; i < SLOW_DOWNLOADS; i++) {
            attack("slow-download-" + i, this::downloadSlowly);
        }
        slowBodiesPastTimeout.await();

        Duration budget = alone.wall().multipliedBy(2);
        Fleet.Summary beside = Fleet.run(server.deviceUrl(), ROUTERS, ROUTERS, "SLOW", onTarget, budget);

        System.out.print(beside.print());
        System.out.printf("slow clients:       %d slow-body connections made, %d slow downloads reading %d bytes so "
                        + "far; %.0f requests turned away (pnp_requests_turned_away_total)%n", bodyConnections.get(),
                SLOW_DOWNLOADS, bytesDownloaded.get(), server.metric("pnp_requests_turned_away_total"));
        System.out.printf("routers finished:   %d of %d in %.1f s beside them (%.1f s alone)%n", beside.finished(),
                ROUTERS, beside.wall().toMillis() / 1000.0, alone.wall().toMillis() / 1000.0);
        System.out.printf("HELLO:              %d answered, the slowest in %d ms, %d not within %d ms%n", hellos.get(),
                slowestHelloMillis.get(), helloFailures.size(), HELLO_BUDGET.toMillis());

        assertThat(beside.finished()).as("routers finished within twice their time alone (%s)\n%s", budget,
                beside.print()).isEqualTo(ROUTERS);
        assertThat(helloFailures).as("HELLO within %s throughout", HELLO_BUDGET).isEmpty();
        assertThat(hellos.get()).isPositive();
        assertThat(server.metric("pnp_requests_turned_away_total")).as("slow bodies over the address's share")
                .isPositive();
        assertThat(bytesDownloaded.get()).as("the slow copies are served meanwhile").isPositive();
    }

    private void attack(String name, Attack attack) {
        Thread t = new Thread(() -> {
            while (attacking.get()) {
                try {
                    attack.run();
                } catch (IOException e) {
                    // cut off by the server: connect again, as an attacker would
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        attackers.add(t);
    }

    private interface Attack {
        void run() throws IOException, InterruptedException;
    }

    /** One attacker: PnP messages whose headers come at once and whose body comes a byte every 5 s. */
    private final class SlowBody {
        private int drips;

        void send() throws IOException, InterruptedException {
            try (Socket socket = from("127.0.0.2")) {
                bodyConnections.incrementAndGet();
                OutputStream out = socket.getOutputStream();
                out.write(("POST /pnp/WORK-REQUEST HTTP/1.1\r\nHost: pnp\r\nContent-Type: text/xml\r\n"
                        + "Content-Length: 100000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                while (attacking.get()) {
                    out.write('<');
                    out.flush();
                    Thread.sleep(DRIP.toMillis());
                    if (++drips == DRIPS_BEFORE_ROUTERS) {
                        slowBodiesPastTimeout.countDown();
                    }
                }
            }
        }
    }

    /** HELLO from the routers' address, again and again: each must be answered within the budget. */
    private void sayHello() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest hello = HttpRequest.newBuilder(URI.create(server.deviceUrl() + "/pnp/HELLO"))
                .timeout(HELLO_BUDGET).build();
        while (attacking.get()) {
            long start = System.nanoTime();
            try {
                int status = http.send(hello, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 200) {
                    helloFailures.add("HTTP " + status);
                }
                hellos.incrementAndGet();
            } catch (IOException e) {
                helloFailures.add(e.toString());
            }
            slowestHelloMillis.accumulateAndGet((System.nanoTime() - start) / 1_000_000, Math::max);
            Thread.sleep(200);
        }
    }

    /** A copy of the image through a small window, read at about 80 kB/s. */
    private void downloadSlowly() throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(8192);
            socket.bind(new InetSocketAddress("127.0.0.3", 0));
            socket.connect(new InetSocketAddress("127.0.0.1", server.deviceUrl().getPort()));
            socket.getOutputStream().write(("GET /images/" + Lab.IMAGE + " HTTP/1.1\r\nHost: pnp\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            for (int n = in.read(chunk); n >= 0 && attacking.get(); n = in.read(chunk)) {
                bytesDownloaded.addAndGet(n);
                Thread.sleep(100);
            }
        }
    }

    private Socket from(String address) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(address, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.deviceUrl().getPort()));
        return socket;
    }
}
