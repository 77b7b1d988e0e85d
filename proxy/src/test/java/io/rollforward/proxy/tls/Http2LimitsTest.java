package io.rollforward.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rollforward.config.TlsConfig;
import io.rollforward.proxy.testing.ProxyUnderTest;
import io.rollforward.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/2 limits as a client sees them: SETTINGS announce {@code tls.max-concurrent-streams}
 * and {@code limits.max-header-size} (RFC 9113 §6.5.2), and a header list over the limit gets
 * {@code 431} on its stream while the connection stays usable; nothing reaches the replicas
 * (they are closed ports: any forwarded request would come back as 502).
 */
class Http2LimitsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void certificates() throws Exception {
        assumeTrue(TestCertificates.available(), "needs the openssl CLI (Debian openssl)");
        TestCertificates.create(dir, "site", "localhost");
    }

    private static ProxyUnderTest proxy() throws Exception {
        TlsConfig tls = HttpsFrontTestConfig.tls(dir, "max-concurrent-streams: 7\n");
        return ProxyUnderTest.start(c -> c.withTls(tls), 1, 2);
    }

    @Test
    void settingsAnnounceTheStreamAndHeaderListLimits() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/nghttp")), "needs nghttp (Debian nghttp2-client)");
        try (ProxyUnderTest proxy = proxy()) {
            Process nghttp = new ProcessBuilder("nghttp", "-nv", "https://localhost:"
                    + proxy.proxy().tlsAddress().orElseThrow().getPort() + "/").redirectErrorStream(true).start();
            String trace = new String(nghttp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(nghttp.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(trace).contains("recv SETTINGS frame")
                    .contains("SETTINGS_MAX_CONCURRENT_STREAMS(0x03):7")
                    .contains("SETTINGS_MAX_HEADER_LIST_SIZE(0x06):16384");
        }
    }

    @Test
    void aHeaderListOverTheLimitGets431OnItsStream() throws Exception {
        assumeTrue(TlsClients.curlAvailable(), "needs curl");
        try (ProxyUnderTest proxy = proxy()) {
            String url = "https://localhost:" + proxy.proxy().tlsAddress().orElseThrow().getPort() + "/";
            TlsClients.Curl big = TlsClients.curl(dir, "--http2", url, "-H", "X-Big: " + "a".repeat(17_000));
            assertThat(big.writeOut()).isEqualTo("2 431");
            // a request within the limits is forwarded: both replicas are closed ports, so 502
            TlsClients.Curl small = TlsClients.curl(dir, "--http2", url, "-H", "X-Small: " + "a".repeat(1000));
            assertThat(small.writeOut()).isEqualTo("2 502");
        }
    }

    /** The tls section for tests, read by the real loader from a file in {@code dir}. */
    static final class HttpsFrontTestConfig {
        static TlsConfig tls(Path dir, String extra) throws Exception {
            return io.rollforward.config.ConfigLoader.parse(String.join("\n", List.of(
                    "listen: 127.0.0.1:0",
                    "replicas: [{name: a, url: 'http://127.0.0.1:81'}, {name: b, url: 'http://127.0.0.1:82'}]",
                    "tls:",
                    "  listen: 127.0.0.1:0",
                    "  certificates: [{certificate: site.pem, private-key: site.key}]",
                    "  " + extra)), dir.resolve("r.yaml").toString()).tls().orElseThrow();
        }
    }
}
