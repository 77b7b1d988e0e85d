package io.rollforward.proxy.hardening;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rollforward.config.Limits;
import io.rollforward.proxy.front.FrontEvents;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The strict front over real sockets, with two WireMock origins: every refused request gets its
 * status and a closed connection, and neither origin's request journal shows anything of it.
 */
class StrictFrontSocketTest {
    @RegisterExtension
    static WireMockExtension master = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    static WireMockExtension backup = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private ProxyUnderTest proxy;

    @BeforeEach
    void origins() throws Exception {
        for (WireMockExtension origin : List.of(master, backup)) {
            origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
            warmUp(origin);
            origin.resetRequests();
        }
    }

    static void warmUp(WireMockExtension origin) throws IOException {
        try (RawClient c = new RawClient(new InetSocketAddress("127.0.0.1", origin.getPort()))) {
            c.send("GET /warm-up HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readToClose();
        }
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private InetSocketAddress start(Limits limits) throws InterruptedException {
        // a generous per-request timeout: a cold WireMock on a busy machine can take seconds
        proxy = new ProxyUnderTest.Builder().config(c -> c.withLimits(limits).withPerRequestTimeout(Duration.ofSeconds(30)))
                .frontEvents(rejected::add)
                .start(master.getPort(), backup.getPort());
        return proxy.proxy().frontAddress();
    }

    private static Limits limits(Duration headerTimeout, Duration idle, int maxConnections) {
        return new Limits(1024, 2048, 512, 8L << 20, headerTimeout, idle, maxConnections, 4,
                Duration.ofSeconds(4), Duration.ofSeconds(2));
    }

    private static final Limits SMALL = limits(Duration.ofSeconds(10), Duration.ofSeconds(60), 100);

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> refused() {
        return FrontPipelineTest.refused();
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refused")
    void refusedRequestReachesNoReplica(String name, String input, int status, String reason) throws Exception {
        InetSocketAddress front = start(SMALL);
        try (RawClient c = new RawClient(front)) {
            List<HttpResponses.Response> out = HttpResponses.parse(c.send(input).readToClose());
            assertThat(out).as(name).hasSize(1);
            assertThat(out.get(0).status()).as(name).isEqualTo(status);
        }
        assertThat(rejected).containsExactly(reason);
        assertOriginsSawOnlyTheMarker(front);
    }

    /** A good request afterwards, awaited in both journals, proves the journals are live. */
    private void assertOriginsSawOnlyTheMarker(InetSocketAddress front) throws IOException {
        try (RawClient c = new RawClient(front)) {
            assertThat(c.send("GET /marker HTTP/1.1\r\nHost: x\r\n\r\n").readOne().status()).isEqualTo(200);
        }
        for (WireMockExtension origin : List.of(master, backup)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !origin.getAllServeEvents().isEmpty());
            assertThat(origin.getAllServeEvents()).extracting(e -> e.getRequest().getUrl()).containsExactly("/marker");
        }
    }

    @Test
    void expectContinueOver413BeforeAnyBodyByteIsSent() throws Exception {
        InetSocketAddress front = start(SMALL);
        try (RawClient c = new RawClient(front)) {
            c.send("POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
            List<HttpResponses.Response> out = HttpResponses.parse(c.readToClose());
            assertThat(out).extracting(HttpResponses.Response::status).containsExactly(413);
        }
        assertThat(rejected).containsExactly(FrontEvents.BODY_TOO_LARGE);
        assertOriginsSawOnlyTheMarker(front);
    }

    @Test
    void slowlorisGets408AfterTheHeaderReadTimeout() throws Exception {
        InetSocketAddress front = start(limits(Duration.ofMillis(700), Duration.ofSeconds(60), 100));
        long t0 = System.nanoTime();
        try (RawClient c = new RawClient(front)) {
            c.send("GET /slow HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n");
            List<HttpResponses.Response> out = HttpResponses.parse(c.readToClose());
            assertThat(out).extracting(HttpResponses.Response::status).containsExactly(408);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).isGreaterThanOrEqualTo(650).isLessThan(5000);
        assertThat(rejected).containsExactly(FrontEvents.HEADER_TIMEOUT);
        assertOriginsSawOnlyTheMarker(front);
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        InetSocketAddress front = start(limits(Duration.ofMillis(300), Duration.ofMillis(800), 100));
        try (RawClient c = new RawClient(front)) {
            assertThat(c.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n").readOne().status()).isEqualTo(200);
            long t0 = System.nanoTime();
            // waiting for the next request is governed by the idle timeout, not the header-read timeout
            assertThat(c.closedByPeer()).isTrue();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).isGreaterThanOrEqualTo(700).isLessThan(5000);
        }
        assertThat(rejected).isEmpty();
    }

    @Test
    void connectionsOverTheLimitGetAClearRefusal() throws Exception {
        InetSocketAddress front = start(limits(Duration.ofSeconds(10), Duration.ofSeconds(60), 2));
        try (RawClient a = new RawClient(front); RawClient b = new RawClient(front)) {
            assertThat(a.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n").readOne().status()).isEqualTo(200);
            assertThat(b.send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n").readOne().status()).isEqualTo(200);
            try (RawClient third = new RawClient(front)) {
                List<HttpResponses.Response> out = HttpResponses.parse(third.readToClose());
                assertThat(out).hasSize(1);
                assertThat(out.get(0).status()).isEqualTo(503);
                assertThat(out.get(0).body()).contains("limits.max-connections 2");
            }
            assertThat(rejected).containsExactly(FrontEvents.TOO_MANY_CONNECTIONS);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            try (RawClient again = new RawClient(front)) {
                return again.send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n").readOne().status() == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void http10RequestIsForwardedWithAHostAndTheConnectionCloses() throws Exception {
        InetSocketAddress front = start(SMALL);
        try (RawClient c = new RawClient(front)) {
            List<HttpResponses.Response> out = HttpResponses.parse(c.send("GET /old HTTP/1.0\r\n\r\n").readToClose());
            assertThat(out).hasSize(1);
            assertThat(out.get(0).status()).isEqualTo(200);
            assertThat(out.get(0).header("X-Served-By")).isEqualTo("master");
            assertThat(out.get(0).header("Connection")).isEqualToIgnoringCase("close");
        }
        LoggedRequest m = only(master, "/old");
        assertThat(m.getHeader("Host")).isEqualTo("127.0.0.1:" + front.getPort());
    }

    @Test
    void http10KeepAliveIsHonoured() throws Exception {
        InetSocketAddress front = start(SMALL);
        try (RawClient c = new RawClient(front)) {
            HttpResponses.Response r = c.send("GET /k1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readOne();
            assertThat(r.header("Connection")).isEqualToIgnoringCase("keep-alive");
            assertThat(c.send("GET /k2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").readOne().status()).isEqualTo(200);
        }
    }

    @Test
    void absoluteFormTargetBecomesOriginFormWithItsAuthorityAsHost() throws Exception {
        InetSocketAddress front = start(SMALL);
        try (RawClient c = new RawClient(front)) {
            HttpResponses.Response r = c.send("GET http://shop.example:8080/cart?id=7 HTTP/1.1\r\nHost: ignored\r\n\r\n").readOne();
            assertThat(r.status()).isEqualTo(200);
        }
        for (WireMockExtension origin : List.of(master, backup)) {
            LoggedRequest seen = only(origin, "/cart?id=7");
            assertThat(seen.getHeader("Host")).isEqualTo("shop.example:8080");
        }
    }

    private static LoggedRequest only(WireMockExtension origin, String url) {
        await().atMost(Duration.ofSeconds(5)).until(() -> origin.getAllServeEvents().stream()
                .anyMatch(e -> e.getRequest().getUrl().equals(url)));
        List<LoggedRequest> found = origin.getAllServeEvents().stream().map(e -> e.getRequest())
                .filter(r -> r.getUrl().equals(url)).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
