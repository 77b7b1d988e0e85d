package io.rollforward.proxy.exchange;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rollforward.config.CidrBlock;
import io.rollforward.config.ForwardedConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the origins see of the proxy on the replica hop, over real sockets: Via, the forwarded
 * headers from a trusted and an untrusted peer, no Content-Length on a GET; and the loop a
 * replica URL that is the proxy itself makes, refused with 508 at the first return.
 */
class EdgeHeadersTest {
    @RegisterExtension
    static WireMockExtension master = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    static WireMockExtension backup = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private ProxyUnderTest proxy;

    @BeforeEach
    void answer() {
        master.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from master")));
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from backup")));
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private ProxyUnderTest proxy(UnaryOperator<RollforwardConfig> tweak) throws InterruptedException {
        proxy = new ProxyUnderTest.Builder().config(c -> tweak.apply(c.withNodeName("edge-test")))
                .frontEvents(rejected::add).start(master.getPort(), backup.getPort());
        return proxy;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return proxy.client().send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static LoggedRequest seenBy(WireMockExtension origin) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !origin.getAllServeEvents().isEmpty());
        assertThat(origin.getAllServeEvents()).hasSize(1);
        return origin.getAllServeEvents().get(0).getRequest();
    }

    /** The JDK 17 client adds {@code Content-Length: 0} to a GET itself (JDK-8283544): write the bytes. */
    private String rawGet(String path) throws Exception {
        try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), proxy.proxy().frontAddress().getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: edge.test\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void getWithoutBodyReachesTheOriginWithoutContentLengthAndWithVia() throws Exception {
        proxy(c -> c);
        assertThat(rawGet("/plain")).startsWith("HTTP/1.1 200 ");
        for (WireMockExtension origin : List.of(master, backup)) {
            LoggedRequest seen = seenBy(origin);
            assertThat(seen.containsHeader("Content-Length")).as("Content-Length on a GET").isFalse();
            assertThat(seen.getHeader("Via")).isEqualTo("1.1 edge-test (rollforward)");
        }
    }

    @Test
    void postWithEmptyBodyKeepsItsFraming() throws Exception {
        proxy(c -> c);
        send(HttpRequest.newBuilder(proxy.uri("/form")).POST(HttpRequest.BodyPublishers.ofString("")));
        assertThat(seenBy(master).getHeader("Content-Length")).isEqualTo("0");
    }

    @ParameterizedTest
    @CsvSource({
            // trusted block, X-Forwarded-For the origin sees, X-Forwarded-Proto the origin sees
            "10.0.0.0,  '127.0.0.1',              http",
            "127.0.0.0, '203.0.113.9, 127.0.0.1', https",
    })
    void forwardedHeadersAreKeptOnlyFromATrustedPeer(String trusted, String forwardedFor, String proto) throws Exception {
        proxy(c -> c.withForwarded(new ForwardedConfig(List.of(block(trusted, 8)))));
        send(HttpRequest.newBuilder(proxy.uri("/")).header("X-Forwarded-For", "203.0.113.9")
                .header("X-Forwarded-Proto", "https"));
        LoggedRequest seen = seenBy(master);
        assertThat(seen.getHeader("X-Forwarded-For")).isEqualTo(forwardedFor);
        assertThat(seen.getHeader("X-Forwarded-Proto")).isEqualTo(proto);
    }

    @Test
    void requestCarryingThisProxysViaGets508AndReachesNoOrigin() throws Exception {
        proxy(c -> c);
        HttpResponse<String> r = send(HttpRequest.newBuilder(proxy.uri("/")).header("Via", "1.1 cdn, 1.1 EDGE-test (Rollforward)"));
        assertThat(r.statusCode()).isEqualTo(508);
        assertThat(r.body()).startsWith("508 Loop Detected: ");
        assertThat(rejected).containsExactly("loop");
        assertThat(master.getAllServeEvents()).isEmpty();
        assertThat(backup.getAllServeEvents()).isEmpty();
    }

    @Test
    void anotherProxyWithThisNodesNameInItsViaIsNoLoop() throws Exception {
        proxy(c -> c);
        HttpResponse<String> r = send(HttpRequest.newBuilder(proxy.uri("/")).header("Via", "1.1 edge-test (squid/5.7)"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(seenBy(master).getHeader("Via")).isEqualTo("1.1 edge-test (squid/5.7), 1.1 edge-test (rollforward)");
        assertThat(rejected).isEmpty();
    }

    @Test
    void aReplicaThatIsTheProxyItselfCostsOneRefusedCopyNotAStorm() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // free now; the proxy binds it next
        }
        List<ReplicaConfig> replicas = List.of(ReplicaConfig.of("master", HostPort.of("127.0.0.1", master.getPort())),
                ReplicaConfig.of("self", HostPort.of("127.0.0.1", port)));
        proxy = new ProxyUnderTest.Builder().config(c -> RollforwardConfig.of(HostPort.of("127.0.0.1", port), replicas)
                        .withAdmin(c.admin()).withNodeName("edge-test"))
                .frontEvents(rejected::add).start(master.getPort(), backup.getPort());
        HttpResponse<String> r = proxy.get("/once");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("from master");
        // the copy sent to "self" came back with this proxy's Via and was refused before going anywhere
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> rejected.contains("loop"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> proxy.proxy().inflight().size() == 0);
        assertThat(rejected).containsExactly("loop");
        assertThat(master.getAllServeEvents()).hasSize(1);
    }

    private static CidrBlock block(String address, int prefix) {
        try {
            return new CidrBlock(InetAddress.getByName(address), prefix); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
