package io.rollforward.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rollforward.config.ConfigException;
import io.rollforward.config.ConfigLoader;
import io.rollforward.config.HostPort;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.config.TlsConfig;
import io.rollforward.proxy.testing.ApacheInstance;
import io.rollforward.proxy.testing.ProxyUnderTest;
import io.rollforward.testkit.TestCertificates;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTPS front in front of two real Apache servers, with certificates the test made: curl over
 * HTTP/2 and HTTP/1.1 gets bytes identical to Apache direct, SNI picks the certificate, the
 * replicas see {@code X-Forwarded-Proto: https}, a kill -9 of the master with 20 requests on 20
 * streams of one HTTP/2 connection costs nothing, and a reload gives new handshakes the new
 * certificate while the old connection carries on.
 */
class HttpsFrontTest {
    private static final List<String> FILES = List.of("/index.html", "/1k.bin", "/64k.bin", "/big.bin");
    @TempDir
    static Path dir;
    private static ApacheInstance master;
    private static ApacheInstance backup;
    private static final HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestCertificates.available(), "needs the openssl CLI (Debian openssl)");
        ApacheInstance.assumeAvailable();
        TestCertificates.create(dir, "site", "localhost", "site.test");
        TestCertificates.create(dir, "other", "other.test", "*.wild.test");
        master = ApacheInstance.start("master");
        backup = ApacheInstance.start("backup");
    }

    @AfterAll
    static void stop() {
        if (master != null) {
            master.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    /** The tls section as an operator writes it, read by the real loader (file checks included). */
    static TlsConfig tls(String certificates) throws ConfigException {
        return ConfigLoader.parse("""
                listen: 127.0.0.1:0
                replicas:
                  - {name: a, url: http://127.0.0.1:81}
                  - {name: b, url: http://127.0.0.1:82}
                tls:
                  listen: 127.0.0.1:0
                  certificates:
                """ + certificates, dir.resolve("r.yaml").toString()).tls().orElseThrow();
    }

    static final String BOTH = """
                - {certificate: site.pem, private-key: site.key}
                - {certificate: other.pem, private-key: other.key}
            """;

    private static ProxyUnderTest proxy(TlsConfig tls) throws InterruptedException {
        return new ProxyUnderTest.Builder().config(c -> c
                .withReplicas(List.of(ReplicaConfig.of("master", master.hostPort()), ReplicaConfig.of("backup", backup.hostPort())))
                .withPerRequestTimeout(Duration.ofSeconds(10))
                .withTls(tls))
                .start();
    }

    private static String https(ProxyUnderTest proxy, String path) {
        return "https://localhost:" + proxy.proxy().tlsAddress().orElseThrow().getPort() + path;
    }

    private static byte[] directly(String path) throws Exception {
        return direct.send(HttpRequest.newBuilder(master.baseUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    @Test
    void curlOverHttp2AndHttp11GetsWhatApacheServes() throws Exception {
        assumeTrue(TlsClients.curlAvailable(), "needs curl");
        try (ProxyUnderTest proxy = proxy(tls(BOTH))) {
            for (String path : FILES) {
                TlsClients.Curl h2 = TlsClients.curl(dir, "--http2", https(proxy, path));
                assertThat(h2.writeOut()).as(path).isEqualTo("2 200");
                assertThat(h2.body()).as(path).isEqualTo(directly(path));
                TlsClients.Curl h1 = TlsClients.curl(dir, "--http1.1", https(proxy, path));
                assertThat(h1.writeOut()).as(path).isEqualTo("1.1 200");
                assertThat(h1.body()).as(path).isEqualTo(directly(path));
            }
            // a body goes up over HTTP/2 and the replicas are told the client used https
            Path upload = Files.write(dir.resolve("upload.bin"), ApacheInstance.contentOf("64k.bin"));
            TlsClients.Curl echoed = TlsClients.curl(dir, "--http2", https(proxy, "/cgi-bin/echo"),
                    "--data-binary", "@" + upload, "-D", dir.resolve("h.txt").toString());
            assertThat(echoed.writeOut()).isEqualTo("2 200");
            assertThat(echoed.body()).isEqualTo(ApacheInstance.contentOf("64k.bin"));
            assertThat(master.echoedRequests()).last().satisfies(r -> assertThat(r.bodyLength()).isEqualTo(64 * 1024));
            // what the replica saw: X-Forwarded-Proto https, whatever the client wrote there
            for (ApacheInstance origin : List.of(master, backup)) {
                Path script = origin.docRoot().getParent().resolve("cgi-bin").resolve("proto");
                Files.writeString(script, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n%s' \"$HTTP_X_FORWARDED_PROTO\"\n");
                Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            assertThat(TlsClients.curl(dir, "--http2", https(proxy, "/cgi-bin/proto"), "-H", "X-Forwarded-Proto: gopher").body())
                    .asString().isEqualTo("https");
            assertThat(TlsClients.curl(dir, "--http1.1", https(proxy, "/cgi-bin/proto")).body()).asString().isEqualTo("https");
        }
    }

    @Test
    void sniPicksTheCertificateByNameAndTheFirstIsTheDefault() throws Exception {
        try (ProxyUnderTest proxy = proxy(tls(BOTH))) {
            InetSocketAddress at = proxy.proxy().tlsAddress().orElseThrow();
            assertThat(TlsClients.certificateSubject(at, "site.test")).isEqualTo("CN=localhost");
            assertThat(TlsClients.certificateSubject(at, "other.test")).isEqualTo("CN=other.test");
            assertThat(TlsClients.certificateSubject(at, "a.wild.test")).isEqualTo("CN=other.test");
            assertThat(TlsClients.certificateSubject(at, "unknown.test")).isEqualTo("CN=localhost");
            assertThat(TlsClients.certificateSubject(at, null)).isEqualTo("CN=localhost");
        }
    }

    @Test
    void killingTheMasterWith20StreamsInFlightOnOneConnectionCostsNothing() throws Exception {
        try (ProxyUnderTest proxy = proxy(tls(BOTH))) {
            HttpClient h2 = TlsClients.http2();
            // warm the connection up: the 20 below are then streams of this one connection
            assertThat(h2.send(HttpRequest.newBuilder(URI.create(https(proxy, "/index.html"))).build(),
                    HttpResponse.BodyHandlers.discarding()).version()).isEqualTo(HttpClient.Version.HTTP_2);
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                inFlight.add(h2.sendAsync(HttpRequest.newBuilder(URI.create(https(proxy, "/cgi-bin/slow?ms=3000&id=" + i)))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> proxy.proxy().inflight().size() == 20);
            assertThat(proxy.proxy().clientConnections()).isEqualTo(1);
            master.killHard();
            for (CompletableFuture<HttpResponse<String>> f : inFlight) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
                assertThat(r.headers().firstValue("X-Served-By")).contains("backup");
            }
        } finally {
            master.restart();
        }
    }

    @Test
    void aReloadedCertificateServesNewHandshakes() throws Exception {
        Path pem = dir.resolve("live.pem");
        Path key = dir.resolve("live.key");
        copy(TestCertificates.create(dir, "first", "localhost"), pem, key);
        String live = "    - {certificate: live.pem, private-key: live.key}\n";
        try (ProxyUnderTest proxy = proxy(tls(live))) {
            InetSocketAddress at = proxy.proxy().tlsAddress().orElseThrow();
            HttpClient h2 = TlsClients.http2();
            assertThat(h2.send(HttpRequest.newBuilder(URI.create(https(proxy, "/index.html"))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            assertThat(TlsClients.certificateSubject(at, null)).isEqualTo("CN=localhost");

            copy(TestCertificates.create(dir, "second", "renewed.test"), pem, key);
            RollforwardConfig next = proxy.proxy().config().withTls(tls(live));
            assertThat(proxy.proxy().reload(next).status()).isEqualTo(200);

            assertThat(TlsClients.certificateSubject(at, null)).isEqualTo("CN=renewed.test");
            // the connection opened before the reload carries on
            assertThat(h2.send(HttpRequest.newBuilder(URI.create(https(proxy, "/1k.bin"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray()).body()).isEqualTo(ApacheInstance.contentOf("1k.bin"));
            assertThat(proxy.proxy().clientConnections()).isEqualTo(1);
        }
    }

    @Test
    void aReloadChangingTheListenAddressIsRefusedByName() throws Exception {
        try (ProxyUnderTest proxy = proxy(tls(BOTH))) {
            RollforwardConfig running = proxy.proxy().config();
            RollforwardConfig moved = new RollforwardConfig.Builder(HostPort.of("127.0.0.1", 1), running.replicas())
                    .tls(running.tls()).admin(running.admin()).build();
            var result = proxy.proxy().reload(moved);
            assertThat(result.status()).isEqualTo(409);
            assertThat(result.message()).startsWith("not reloaded: listen changed, which needs a restart");
            assertThat(proxy.proxy().config()).isSameAs(running);
        }
    }

    @Test
    void withoutListenThereIsOnlyTheHttpsFront() throws Exception {
        TlsConfig tls = tls(BOTH);
        try (ProxyUnderTest proxy = new ProxyUnderTest.Builder().config(c -> c.withTls(tls).toBuilder()
                .listen(java.util.Optional.empty()).build()
                .withReplicas(List.of(ReplicaConfig.of("master", master.hostPort()), ReplicaConfig.of("backup", backup.hostPort()))))
                .start()) {
            assertThat(proxy.proxy().plainAddress()).isEmpty();
            assertThatThrownBy(() -> proxy.proxy().frontAddress()).hasMessageContaining("listen is not set");
            HttpResponse<byte[]> reply = TlsClients.http2().send(HttpRequest.newBuilder(URI.create(https(proxy, "/1k.bin")))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo(ApacheInstance.contentOf("1k.bin"));
            assertThat(proxy.proxy().reload(proxy.proxy().config()).status()).isEqualTo(200);
        }
    }

    private static void copy(TestCertificates.Pair from, Path pem, Path key) throws java.io.IOException {
        Files.copy(from.certificate(), pem, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(from.privateKey(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
