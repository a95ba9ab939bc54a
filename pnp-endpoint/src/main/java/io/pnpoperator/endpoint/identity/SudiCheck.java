package io.pnpoperator.endpoint.identity;

import io.pnpoperator.endpoint.protocol.Report;
import io.pnpoperator.endpoint.workflow.IdentityProof;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * A device's proof that it is the device its UDI names: the answer to a device-auth challenge, checked as Cisco's
 * own reference script does — the SUDI certificate chains to a CA of the trust bundle, its subject's serial number
 * attribute ({@code PID:C1131-8PWB SN:FGL2548L0AW}) names the UDI's serial and PID, and the challenge is signed
 * with the certificate's key. The trust bundle holds the roots (self-signed) and the intermediates (Cisco's
 * "ACT2 SUDI CA" and others) as PEM certificates. Not tried against a real router's SUDI here.
 */
public final class SudiCheck implements IdentityProof {

    private static final Pattern SUBJECT_SERIAL = Pattern.compile("PID:(\\S+)\\s+SN:(\\S+)");
    private static final Set<String> HASHES = Set.of("SHA256", "SHA512");
    private static final Set<String> ENCRYPTIONS = Set.of("RSA", "ECDSA");

    private final Set<TrustAnchor> roots;
    private final List<X509Certificate> intermediates;

    private SudiCheck(List<X509Certificate> bundle) {
        this.roots = bundle.stream().filter(SudiCheck::selfSigned).map(c -> new TrustAnchor(c, null))
                .collect(Collectors.toSet());
        this.intermediates = bundle.stream().filter(c -> !selfSigned(c)).toList();
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("the SUDI trust bundle holds no root (self-signed) certificate");
        }
    }

    /** The trust bundle of a PEM file (one or more certificates). */
    public static SudiCheck of(Path bundle) throws IOException {
        try (var in = Files.newInputStream(bundle)) {
            return new SudiCheck(CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList());
        } catch (CertificateException e) {
            throw new IOException("the SUDI trust bundle " + bundle + " is not PEM certificates: " + e.getMessage(), e);
        }
    }

    @Override
    public Verdict check(String pid, String serial, String challenge, Report.DeviceAuth answer, Instant now) {
        X509Certificate sudi;
        try {
            sudi = certificate(answer.sudiCertificate());
        } catch (CertificateException | IllegalArgumentException e) {
            return no("its SUDI certificate cannot be read: " + e.getMessage());
        }
        Optional<String> chain = chainProblem(sudi, now);
        if (chain.isPresent()) {
            return no(chain.get());
        }
        String subject = serialNumberAttribute(sudi);
        Matcher named = SUBJECT_SERIAL.matcher(subject);
        if (!named.find()) {
            return no("its SUDI certificate's subject names no PID and SN: '" + subject + "'");
        }
        if (!named.group(2).equalsIgnoreCase(serial)) {
            return no("its SUDI certificate is for SN " + named.group(2) + ", not " + serial);
        }
        if (!pid.isEmpty() && !named.group(1).equalsIgnoreCase(pid)) {
            return no("its SUDI certificate is for PID " + named.group(1) + ", not " + pid);
        }
        String hash = answer.hashingMethod().toUpperCase(Locale.ROOT);
        String encryption = answer.encryptionMethod().toUpperCase(Locale.ROOT);
        if (!HASHES.contains(hash) || !ENCRYPTIONS.contains(encryption)) {
            return no("it signed with " + answer.encryptionMethod() + "/" + answer.hashingMethod() + ", not one "
                    + "offered (RSA or ECDSA, SHA256 or SHA512)");
        }
        try {
            Signature signature = Signature.getInstance(hash + "with" + encryption);
            signature.initVerify(sudi.getPublicKey());
            signature.update(challenge.getBytes(StandardCharsets.UTF_8));
            if (!signature.verify(Base64.getMimeDecoder().decode(answer.challengeResponse()))) {
                return no("the challenge is not signed by its SUDI certificate's key");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return no("the signature cannot be checked: " + e.getMessage());
        }
        return new Verdict(true, named.group());
    }

    private Optional<String> chainProblem(X509Certificate sudi, Instant now) {
        try {
            PKIXParameters parameters = new PKIXParameters(roots);
            parameters.setRevocationEnabled(false); // SUDI CAs publish no reachable revocation for a blank router
            parameters.setDate(Date.from(now));
            parameters.addCertStore(CertStore.getInstance("Collection",
                    new CollectionCertStoreParameters(intermediates)));
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(
                    path(sudi)), parameters);
            return Optional.empty();
        } catch (CertPathValidatorException e) {
            return Optional.of("its SUDI certificate (" + serialNumberAttribute(sudi) + ", issued by "
                    + sudi.getIssuerX500Principal().getName(X500Principal.RFC1779) + ") is not vouched for by the "
                    + "trust bundle: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return Optional.of("its SUDI certificate's chain cannot be checked: " + e.getMessage());
        }
    }

    /** The certificate and the intermediates above it, leaf first, as the validator wants the path. */
    private List<X509Certificate> path(X509Certificate leaf) {
        List<X509Certificate> path = new ArrayList<>(List.of(leaf));
        X509Certificate at = leaf;
        for (int i = 0; i < intermediates.size(); i++) {
            X509Certificate current = at;
            Optional<X509Certificate> issuer = intermediates.stream().filter(c -> c.getSubjectX500Principal()
                    .equals(current.getIssuerX500Principal()) && !path.contains(c)).findFirst();
            if (issuer.isEmpty()) {
                break;
            }
            path.add(issuer.get());
            at = issuer.get();
        }
        return path;
    }

    /** The PEM certificate the device sent, base64 as the schema has it (a bare PEM or DER is taken too). */
    private static X509Certificate certificate(String sent) throws CertificateException {
        String text = sent.trim();
        byte[] bytes = text.startsWith("-----BEGIN") ? text.getBytes(StandardCharsets.US_ASCII)
                : Base64.getMimeDecoder().decode(text);
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(bytes));
    }

    private static String serialNumberAttribute(X509Certificate certificate) {
        try {
            String subject = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253,
                    Map.of("2.5.4.5", "SERIALNUMBER"));
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("SERIALNUMBER")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return "";
        }
        return "";
    }

    private static boolean selfSigned(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    private static Verdict no(String why) {
        return new Verdict(false, why);
    }
}
