package io.pnpoperator.endpoint;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;

/**
 * A certificate authority of the tests' own, made with the JDK's keytool, that issues SUDI certificates as
 * Cisco's manufacturing CA does: the subject's serial number attribute names the PID and the serial
 * ({@code PID:C1131-8PWB SN:FGL2548L0AW}). What a router keeps of it: its private key and the certificate.
 */
final class TestSudi {

    private static final String PASSWORD = "changeit";

    private final Path folder;
    private final Path caStore;

    /** A device's SUDI: the key it signs with, and its certificate in PEM. */
    record Device(PrivateKey key, String certificatePem) {
    }

    private TestSudi(Path folder) {
        this.folder = folder;
        this.caStore = folder.resolve("ca.p12");
    }

    /** A new root CA, {@code name}, in {@code folder}. */
    static TestSudi authority(Path folder, String name) throws Exception {
        Files.createDirectories(folder);
        TestSudi ca = new TestSudi(folder);
        Keytool.run("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name
                + ", O=pnp-operator tests", "-ext", "bc:c", "-validity", "3650", "-storetype", "PKCS12",
                "-keystore", ca.caStore.toString(), "-storepass", PASSWORD);
        return ca;
    }

    /** The CA's certificate, as the trust bundle a server is configured with. */
    Path bundle() throws Exception {
        Path bundle = folder.resolve("sudi-trust-bundle.pem");
        if (!Files.exists(bundle)) {
            Keytool.run("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
                    "-file", bundle.toString());
        }
        return bundle;
    }

    /** A SUDI certificate for a device with this PID and serial, signed by this CA. */
    Device issue(String pid, String serial) throws Exception {
        Path store = folder.resolve(serial + ".p12");
        Keytool.run("-genkeypair", "-alias", "sudi", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "SERIALNUMBER=PID:" + pid + " SN:" + serial + ", CN=" + pid + ", O=Cisco", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", PASSWORD);
        Path request = folder.resolve(serial + ".csr");
        Path certificate = folder.resolve(serial + ".pem");
        Keytool.run("-certreq", "-alias", "sudi", "-keystore", store.toString(), "-storepass", PASSWORD, "-file",
                request.toString());
        Keytool.run("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD, "-infile",
                request.toString(), "-outfile", certificate.toString(), "-rfc", "-validity", "365");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        return new Device((PrivateKey) keys.getKey("sudi", PASSWORD.toCharArray()), Files.readString(certificate));
    }
}
