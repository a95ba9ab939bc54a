package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.sim.DeviceOptions;
import io.pnpoperator.sim.Fleet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that hold on to the server: 100 connections from another address sending a PnP body one byte every 20 s
 * (reconnecting whenever they are cut off), and 64 routers copying a 16 MB image at 80 kB/s — while 200 honest
 * routers are provisioned. The device port has 64 threads: without the per-address limit, the body timeout and
 * {@code sendfile}, the slow clients would take them all and no router would finish. Prints what it measured
 * (docs/benchmarks.md keeps the figures).
 */
class SlowClientsTest {

    static final int ROUTERS = 200;
    static final int SLOW_BODIES = 100;
    static final int SLOW_DOWNLOADS = 64;
    static final int IMAGE_BYTES = 16 << 20;

    @TempDir
    Path folder;
    PnpServer server;
    final AtomicBoolean attacking = new AtomicBoolean(true);
    final List<Thread> attackers = new ArrayList<>();
    final AtomicLong bodyConnections = new AtomicLong();
    final AtomicLong bytesDownloaded = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        Lab lab = Lab.create(folder);
        byte[] image = new byte[IMAGE_BYTES];
        new Random(7).nextBytes(image);
        Files.write(lab.path("images").resolve(Lab.IMAGE), image);
        // The honest routers all call from 127.0.0.1, as a bench behind one NAT address: their registrations are
        // allowed for; the limit of requests per address is left as it is.
        server = PnpServer.start(lab, "--pnp.limits.registrations-per-minute=" + ROUTERS);
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
        for (int i = 0; i < SLOW_BODIES; i++) {
            attack("slow-body-" + i, this::sendBodySlowly);
        }
        for (int i = 0; i < SLOW_DOWNLOADS; i++) {
            attack("slow-download-" + i, this::downloadSlowly);
        }
        Thread.sleep(2000); // the slow clients are all connected and holding on

        // Routers already on the target version: the image is copied only by the slow ones.
        DeviceOptions onTarget = Routers.FAST.withVersion("17.14.01a");
        Instant start = Instant.now();
        Fleet.Summary summary = Fleet.run(server.deviceUrl(), ROUTERS, ROUTERS, "SLOW", onTarget, Duration.ofSeconds(120));
        Duration took = Duration.between(start, Instant.now());

        System.out.print(summary.print());
        System.out.printf("slow clients:       %d slow-body connections made, %d slow downloads reading %d bytes so "
                        + "far; %.0f requests turned away (pnp_requests_turned_away_total)%n", bodyConnections.get(),
                SLOW_DOWNLOADS, bytesDownloaded.get(), server.metric("pnp_requests_turned_away_total"));
        System.out.printf("routers finished:   %d of %d in %.1f s alongside them%n", summary.finished(), ROUTERS,
                took.toMillis() / 1000.0);

        assertThat(summary.finished()).as(summary.print()).isEqualTo(ROUTERS);
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

    /** A PnP message whose headers come at once and whose body comes a byte every 20 s. */
    private void sendBodySlowly() throws IOException, InterruptedException {
        try (Socket socket = from("127.0.0.2")) {
            bodyConnections.incrementAndGet();
            OutputStream out = socket.getOutputStream();
            out.write(("POST /pnp/WORK-REQUEST HTTP/1.1\r\nHost: pnp\r\nContent-Type: text/xml\r\nContent-Length: 4000"
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (attacking.get()) {
                out.write('<');
                out.flush();
                Thread.sleep(20_000);
            }
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
