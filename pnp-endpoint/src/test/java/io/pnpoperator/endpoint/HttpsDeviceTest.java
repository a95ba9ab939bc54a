package io.pnpoperator.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.pnpoperator.sim.PnpAgent;
import io.pnpoperator.sim.SimulatedRouter;
import io.pnpoperator.sim.Stats;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device port over HTTPS (Spring Boot's {@code server.ssl.*}), with a certificate made by the JDK's keytool:
 * a router that trusts it is provisioned, its downloads (image, files, day-0 config) offered at https URLs; the
 * port does not answer plain HTTP. The admin port stays on loopback, plain.
 */
class HttpsDeviceTest {

    @TempDir
    Path folder;

    @Test
    void aRouterThatTrustsTheServersCertificateIsProvisionedOverHttps() throws Exception {
        Path keystore = folder.resolve("pnp-server.p12");
        Keytool.run("-genkeypair", "-alias", "pnp", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "30",
                "-dname", "CN=pnp.lab", "-ext", "SAN=ip:127.0.0.1,dns:pnp.lab", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit");
        // PEM files, as a kubernetes.io/tls Secret (cert-manager's) holds them and the chart mounts them.
        Path certificate = folder.resolve("tls.crt");
        Path key = folder.resolve("tls.key");
        KeyStore store = load(keystore);
        Files.writeString(certificate, pem("CERTIFICATE", store.getCertificate("pnp").getEncoded()));
        Files.writeString(key, pem("PRIVATE KEY", store.getKey("pnp", "changeit".toCharArray()).getEncoded()));
        Lab lab = Lab.create(folder.resolve("lab"));
        try (PnpServer server = PnpServer.start(lab, "--server.ssl.enabled=true",
                "--server.ssl.certificate=" + certificate, "--server.ssl.certificate-private-key=" + key)) {
            URI https = URI.create("https://127.0.0.1:" + server.deviceUrl().getPort());
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            PnpAgent router = new PnpAgent(https, new SimulatedRouter("FGL0000TLS1", Routers.FAST), Routers.FAST,
                    trusting, new Stats());

            assertThat(router.run(Instant.now().plusSeconds(60)).finished()).isTrue();
            assertThat(router.router().runningConfig()).as("the day-0 config came over https").contains("hostname");
            String history = server.device("FGL0000TLS1").get("history").toString();
            assertThat(history).doesNotContain("failure");

            HttpResponse<String> plain = trusting.send(HttpRequest.newBuilder(server.deviceUrl().resolve("/pnp/HELLO"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).as("plain HTTP on the TLS port").isEqualTo(400);
        }
    }

    private static KeyStore load(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        return store;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = load(keystore);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
