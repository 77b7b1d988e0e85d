package io.rollforward.config.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Reads a certificate chain and its private key the way the TLS front will, with the JDK only,
 * so {@code check-config} names the file behind each mistake a user meets: missing, unreadable,
 * not PEM, a key of another certificate, a key others can read. An expired certificate is a
 * warning (the start goes on; clients will refuse it).
 */
final class CertificateFiles {
    private static final Pattern PEM_KEY = Pattern.compile(
            "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1PRIVATE KEY-----");

    /**
     * What was read; {@code error} non-null when the pair cannot be used, then {@code errorAt}
     * names the key of the file at fault ({@code certificate} or {@code private-key}).
     */
    record Result(List<String> names, String errorAt, String error, String warning) {
    }

    private CertificateFiles() {
    }

    static Result check(Path certificate, Path privateKey, Clock clock) {
        List<X509Certificate> chain;
        try {
            chain = readChain(certificate);
        } catch (IllegalArgumentException e) {
            return new Result(List.of(), "certificate", certificate + ": " + e.getMessage(), null);
        }
        PrivateKey key;
        try {
            key = readKey(privateKey);
        } catch (IllegalArgumentException e) {
            return new Result(List.of(), "private-key", privateKey + ": " + e.getMessage(), null);
        }
        X509Certificate leaf = chain.get(0);
        if (!belongsTo(key, leaf.getPublicKey())) {
            return new Result(List.of(), "private-key", privateKey + ": not the private key of " + certificate
                    + " (expected: the key the certificate was issued for)", null);
        }
        String warning = null;
        if (leaf.getNotAfter().toInstant().isBefore(clock.instant())) {
            warning = certificate + ": certificate expired on " + leaf.getNotAfter().toInstant()
                    + " (clients will refuse it)";
        }
        return new Result(names(leaf), null, null, warning);
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("permission denied");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read: " + e.getMessage());
        }
    }

    private static List<X509Certificate> readChain(Path file) {
        byte[] pem = bytes(file);
        try {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem));
            List<X509Certificate> chain = new ArrayList<>();
            all.forEach(c -> chain.add((X509Certificate) c));
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no certificate in it (expected: PEM, BEGIN CERTIFICATE, leaf first)");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate chain (expected: BEGIN CERTIFICATE blocks, leaf first)");
        }
    }

    private static PrivateKey readKey(Path file) {
        byte[] raw = bytes(file);
        try {
            if (Files.getPosixFilePermissions(file).contains(PosixFilePermission.OTHERS_READ)) {
                throw new IllegalArgumentException("readable by others (expected: not world-readable, e.g. chmod 600)");
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
        Matcher m = PEM_KEY.matcher(new String(raw, StandardCharsets.US_ASCII));
        if (!m.find()) {
            throw new IllegalArgumentException("no private key in it (expected: PEM, BEGIN PRIVATE KEY)");
        }
        if (!m.group(1).isEmpty()) {
            throw new IllegalArgumentException(m.group(1).trim() + " PRIVATE KEY (expected: unencrypted PKCS#8, "
                    + "BEGIN PRIVATE KEY; convert with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("not an RSA, EC or EdDSA PKCS#8 key");
    }

    /** Signs a random challenge with the key and verifies it with the certificate's public key. */
    private static boolean belongsTo(PrivateKey key, PublicKey certificateKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }

    private static List<String> names(X509Certificate leaf) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alt = leaf.getSubjectAlternativeNames();
            if (alt != null) {
                for (List<?> entry : alt) {
                    if (Integer.valueOf(2).equals(entry.get(0))) { // dNSName
                        names.add(entry.get(1).toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateException e) {
            // unparsable extension: fall back to the CN
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
                    }
                }
            } catch (InvalidNameException e) {
                // no usable subject
            }
        }
        return names;
    }
}
