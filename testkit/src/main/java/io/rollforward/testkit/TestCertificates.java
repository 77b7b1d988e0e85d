package io.rollforward.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Self-signed certificates made by a test with the JDK's {@code keytool} and the {@code openssl}
 * CLI: a PEM certificate and an unencrypted PKCS#8 PEM key (mode 600), as an operator's files
 * would be. {@link #available()} says whether openssl is installed (tests assume it).
 */
public final class TestCertificates {
    private TestCertificates() {
    }

    /** The two files of one certificate. */
    public record Pair(Path certificate, Path privateKey) {
    }

    public static boolean available() {
        try {
            return run(List.of("openssl", "version"), Path.of(".")) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A certificate for {@code names} (DNS subjectAltNames; the first is also the CN), valid for a day. */
    public static Pair create(Path dir, String fileStem, String... names) throws IOException {
        return create(dir, fileStem, 0, 1, names);
    }

    /** A certificate that expired yesterday. */
    public static Pair expired(Path dir, String fileStem, String... names) throws IOException {
        return create(dir, fileStem, -3, 1, names);
    }

    private static Pair create(Path dir, String stem, int startDays, int validityDays, String... names) throws IOException {
        Files.createDirectories(dir);
        Path store = dir.resolve(stem + ".p12");
        Path certificate = dir.resolve(stem + ".pem");
        Path key = dir.resolve(stem + ".key");
        Files.deleteIfExists(store);
        StringBuilder san = new StringBuilder("SAN=");
        for (int i = 0; i < names.length; i++) {
            san.append(i == 0 ? "" : ",").append("DNS:").append(names[i]);
        }
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        List<String> generate = new ArrayList<>(List.of(keytool, "-genkeypair", "-alias", "k", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=" + names[0], "-ext", san.toString(), "-validity",
                Integer.toString(validityDays), "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit"));
        if (startDays != 0) {
            generate.addAll(List.of("-startdate", startDays + "d"));
        }
        check(generate, dir);
        check(List.of("openssl", "pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nokeys",
                "-clcerts", "-out", certificate.toString()), dir);
        Path pkcs12Key = dir.resolve(stem + ".key.tmp");
        check(List.of("openssl", "pkcs12", "-in", store.toString(), "-passin", "pass:changeit", "-nocerts",
                "-nodes", "-out", pkcs12Key.toString()), dir);
        check(List.of("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", pkcs12Key.toString(), "-out", key.toString()), dir);
        Files.delete(pkcs12Key);
        Files.delete(store);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return new Pair(certificate, key);
    }

    private static void check(List<String> command, Path dir) throws IOException {
        int code = run(command, dir);
        if (code != 0) {
            throw new IOException(String.join(" ", command) + " exited " + code);
        }
    }

    private static int run(List<String> command, Path dir) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            return -1;
        }
    }
}
