package io.rollforward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rollforward.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tls} section with real files made by the test: what it reads, and each mistake with
 * a certificate a user meets, named by file in the error. The file given to the loader lives in
 * the temp dir, so relative paths resolve there.
 */
class TlsConfigTest {
    @TempDir
    static Path dir;
    static TestCertificates.Pair site;
    static TestCertificates.Pair other;

    /** Every key of the section, for {@link ReferenceDocTest}. */
    static final String FULL_TLS = TwoReplicas.YAML + """
            tls:
              listen: 127.0.0.1:8443
              certificates:
                - {certificate: site.pem, private-key: site.key}
                - {certificate: other.pem, private-key: other.key}
              protocols: [TLSv1.3]
              alpn: [http/1.1]
              max-concurrent-streams: 50
            """;

    @BeforeAll
    static void certificates() throws IOException {
        assumeTrue(TestCertificates.available(), "needs the openssl CLI (Debian openssl)");
        site = TestCertificates.create(dir, "site", "example.org", "www.example.org");
        other = TestCertificates.create(dir, "other", "other.test");
    }

    static String file() {
        return dir.resolve("r.yaml").toString();
    }

    static List<String> errorsOf(String yaml) {
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, file()));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void readsEveryKeyAndTheCertificatesNames() throws ConfigException {
        RollforwardConfig config = ConfigLoader.parse(FULL_TLS, file());
        TlsConfig tls = config.tls().orElseThrow();
        assertThat(tls.listen()).isEqualTo(new HostPort("127.0.0.1", 8443));
        assertThat(tls.certificates()).containsExactly(
                new TlsCertificate(site.certificate(), site.privateKey(), List.of("example.org", "www.example.org")),
                new TlsCertificate(other.certificate(), other.privateKey(), List.of("other.test")));
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.alpn()).containsExactly("http/1.1");
        assertThat(tls.maxConcurrentStreams()).isEqualTo(50);
        assertThat(tls.warnings()).isEmpty();
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void listenIsOptionalWhenTlsIsSet() throws ConfigException {
        RollforwardConfig config = ConfigLoader.parse(TwoReplicas.YAML.replace("listen: 127.0.0.1:8080\n", "")
                + "tls: {listen: 127.0.0.1:8443, certificates: [{certificate: site.pem, private-key: site.key}]}\n",
                file());
        assertThat(config.listen()).isEmpty();
        assertThat(config.tls().orElseThrow().listen()).isEqualTo(new HostPort("127.0.0.1", 8443));
    }

    @Test
    void withoutListenABrokenTlsSectionIsReportedNotThrown() {
        assertThat(errorsOf(TwoReplicas.YAML.replace("listen: 127.0.0.1:8080\n", "") + "tls: {certificates: []}\n"))
                .anyMatch(e -> e.startsWith(file() + ":4:6: tls.listen: missing"));
    }

    @Test
    void defaults() throws ConfigException {
        TlsConfig tls = ConfigLoader.parse(TwoReplicas.YAML
                + "tls: {listen: 127.0.0.1:8443, certificates: [{certificate: site.pem, private-key: site.key}]}\n",
                file()).tls().orElseThrow();
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(tls.alpn()).containsExactly("h2", "http/1.1");
        assertThat(tls.maxConcurrentStreams()).isEqualTo(100);
    }

    private static String oneCertificate(String entry) {
        return TwoReplicas.YAML + "tls:\n  listen: 127.0.0.1:8443\n  certificates:\n    - " + entry + "\n";
    }

    @Test
    void aMissingCertificateIsNamed() {
        assertThat(errorsOf(oneCertificate("{certificate: gone.pem, private-key: site.key}")))
                .containsExactly(file() + ":8:21: tls.certificates[0].certificate: " + dir.resolve("gone.pem")
                        + ": no such file");
    }

    @Test
    void anUnreadableKeyIsNamed() throws IOException {
        Path locked = Files.copy(site.privateKey(), dir.resolve("locked.key"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("-w-------"));
        if (Files.isReadable(locked)) {
            // root reads any file (CI runs as root): a key path that is a directory is unreadable to
            // everyone, and must be named just the same
            Files.delete(locked);
            Files.createDirectory(locked);
            assertThat(errorsOf(oneCertificate("{certificate: site.pem, private-key: locked.key}")))
                    .singleElement().asString()
                    .startsWith(file() + ":8:44: tls.certificates[0].private-key: " + locked + ": ");
            return;
        }
        assertThat(errorsOf(oneCertificate("{certificate: site.pem, private-key: locked.key}")))
                .containsExactly(file() + ":8:44: tls.certificates[0].private-key: " + locked + ": permission denied");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        assertThat(errorsOf(oneCertificate("{certificate: site.pem, private-key: other.key}")))
                .containsExactly(file() + ":8:44: tls.certificates[0].private-key: " + other.privateKey()
                        + ": not the private key of " + site.certificate()
                        + " (expected: the key the certificate was issued for)");
    }

    @Test
    void aWorldReadableKeyIsRefused() throws IOException {
        Path open = Files.copy(site.privateKey(), dir.resolve("open.key"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(errorsOf(oneCertificate("{certificate: site.pem, private-key: open.key}")))
                .containsExactly(file() + ":8:44: tls.certificates[0].private-key: " + open
                        + ": readable by others (expected: not world-readable, e.g. chmod 600)");
    }

    @Test
    void aKeyAsCertificateIsNotPem() {
        assertThat(errorsOf(oneCertificate("{certificate: site.key, private-key: site.key}")))
                .containsExactly(file() + ":8:21: tls.certificates[0].certificate: " + site.privateKey()
                        + ": not a PEM certificate chain (expected: BEGIN CERTIFICATE blocks, leaf first)");
    }

    @Test
    void anExpiredCertificateIsAWarning() throws IOException, ConfigException {
        TestCertificates.Pair old = TestCertificates.expired(dir, "old", "old.test");
        TlsConfig tls = ConfigLoader.parse(oneCertificate("{certificate: old.pem, private-key: old.key}"), file())
                .tls().orElseThrow();
        assertThat(tls.warnings()).singleElement().asString()
                .startsWith(old.certificate() + ": certificate expired on ").endsWith("(clients will refuse it)");
    }

    @Test
    void shapeMistakes() {
        assertThat(errorsOf(TwoReplicas.YAML + "tls: {listen: 127.0.0.1:8443}\n")).containsExactly(file()
                + ":5:6: tls.certificates: missing (expected: a list of {certificate: FILE.pem, private-key: FILE.key},"
                + " the default first)");
        assertThat(errorsOf(TwoReplicas.YAML + "tls: {listen: 127.0.0.1:8080, certificates: [{certificate: site.pem,"
                + " private-key: site.key}], alpn: [h3]}\n")).containsExactly(
                file() + ":1:9: listen: 127.0.0.1:8080 (expected: a port other than tls.listen 127.0.0.1:8080, both are TCP)",
                file() + ":5:102: tls.alpn[0]: \"h3\" (expected: h2 or http/1.1)");
        assertThat(errorsOf(TwoReplicas.YAML + "shutdown-timeout: 0\n"))
                .containsExactly(file() + ":5:19: shutdown-timeout: 0 (expected: > 0)");
    }
}
