package io.rollforward.proxy.exchange;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import io.rollforward.config.RollforwardConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Exchange against two WireMock origins: which reply the client gets, and what each origin saw. */
class ExchangeWireMockTest {
    @RegisterExtension
    static WireMockExtension master = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    static WireMockExtension backup = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private ProxyUnderTest proxy;

    private ProxyUnderTest proxy(UnaryOperator<RollforwardConfig> tweak) throws InterruptedException {
        proxy = ProxyUnderTest.start(tweak, master.getPort(), backup.getPort());
        return proxy;
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private static void answer(WireMockExtension origin, int status, String body) {
        origin.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(status).withBody(body)));
    }

    @Test
    void goodMasterReplyIsSentAndBackupStillRunsTheRequest() throws Exception {
        answer(master, 200, "from master");
        answer(backup, 200, "from backup");
        HttpResponse<String> r = proxy(c -> c).get("/page?q=1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("from master");
        assertThat(r.headers().firstValue("X-Served-By")).contains("master");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                backup.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                        com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/page?q=1"))));
    }

    @Test
    void masterStatusInFailOnStatusRollsForwardToBackup() throws Exception {
        answer(master, 503, "overloaded");
        answer(backup, 200, "from backup");
        HttpResponse<String> r = proxy(c -> c).get("/");
        assertServedByBackup(r);
    }

    @Test
    void statusNotInFailOnStatusIsPassedThrough() throws Exception {
        answer(master, 404, "not here");
        answer(backup, 404, "not here");
        HttpResponse<String> r = proxy(c -> c).get("/missing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("X-Served-By")).contains("master");
    }

    @Test
    void masterSlowerThanTimeoutRollsForward() throws Exception {
        master.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay(3000)));
        answer(backup, 200, "from backup");
        long t0 = System.nanoTime();
        HttpResponse<String> r = proxy(c -> c.withPerRequestTimeout(Duration.ofMillis(500))).get("/");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.body()).isEqualTo("from backup");
        assertThat(r.headers().firstValue("X-Served-By")).contains("backup");
        assertThat(ms).isGreaterThanOrEqualTo(450).isLessThan(2900);
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "RANDOM_DATA_THEN_CLOSE"})
    void masterFaultRollsForward(Fault fault) throws Exception {
        master.stubFor(any(anyUrl()).willReturn(aResponse().withFault(fault)));
        answer(backup, 200, "from backup");
        HttpResponse<String> r = proxy(c -> c).get("/");
        assertServedByBackup(r);
    }

    @Test
    void bothFailedGives502NamingEachReplica() throws Exception {
        master.stubFor(any(anyUrl()).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        answer(backup, 503, "down");
        HttpResponse<String> r = proxy(c -> c).get("/");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).startsWith("502 Bad Gateway: every replica failed:")
                .contains("master: reset").contains("backup: status (status 503)").endsWith("\n")
                .hasLineCount(1);
    }

    @Test
    void bothTimedOutGives504() throws Exception {
        master.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(2000)));
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(2000)));
        HttpResponse<String> r = proxy(c -> c.withPerRequestTimeout(Duration.ofMillis(300))).get("/");
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("master: timeout").contains("backup: timeout");
    }

    @Test
    void deadMasterPortRollsForwardAsConnectFailure() throws Exception {
        answer(backup, 200, "from backup");
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        proxy = ProxyUnderTest.start(c -> c, deadPort, backup.getPort());
        HttpResponse<String> r = proxy.get("/");
        assertThat(r.body()).isEqualTo("from backup");
    }

    @Test
    void staggeredBackupReceivesEachRequestLaterByTheStagger() throws Exception {
        answer(master, 200, "m");
        answer(backup, 200, "b");
        proxy(c -> c.withStagger(Duration.ofMillis(300)));
        // warm up: the first requests pay for class loading and connection set-up on the master's
        // side, which shrinks the gap the journals see; the stagger is a property of dispatch
        for (int i = 0; i < 3; i++) {
            assertThat(proxy.get("/warm/" + i).body()).isEqualTo("m");
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> backup.getAllServeEvents().size() == 3);
        for (int i = 0; i < 5; i++) {
            assertThat(proxy.get("/s/" + i).body()).isEqualTo("m");
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> backup.getAllServeEvents().size() == 8);
        for (int i = 0; i < 5; i++) {
            LoggedRequest m = only(master, "/s/" + i);
            LoggedRequest b = only(backup, "/s/" + i);
            long gap = b.getLoggedDate().getTime() - m.getLoggedDate().getTime();
            // The backup copy leaves the proxy 300 ms after the master's (a timer that never fires
            // early). The journals stamp arrival, truncated to the millisecond, after each origin's
            // own socket and parsing path, which differ by a few ms on a loaded machine: hence 10 ms.
            assertThat(gap).as("gap for request %d", i).isBetween(290L, 1000L);
        }
    }

    @Test
    void backupReceivesExactlyWhatMasterReceives() throws Exception {
        answer(master, 200, "ok");
        answer(backup, 200, "ok");
        proxy(c -> c);
        String body = "{\"order\": 42, \"items\": [\"a\", \"b\"]}";
        HttpResponse<String> r = proxy.client().send(HttpRequest.newBuilder(proxy.uri("/orders?x=1"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "abc-123")
                .header("Authorization", "Bearer t")
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> backup.getAllServeEvents().size() == 1);
        LoggedRequest m = only(master, "/orders?x=1");
        LoggedRequest b = only(backup, "/orders?x=1");
        assertThat(b.getMethod()).isEqualTo(m.getMethod());
        assertThat(b.getBodyAsString()).isEqualTo(body).isEqualTo(m.getBodyAsString());
        for (String h : List.of("Content-Type", "X-Request-Id", "Authorization", "Host", "X-Forwarded-For", "X-Forwarded-Proto", "Content-Length")) {
            assertThat(b.getHeader(h)).as(h).isNotNull().isEqualTo(m.getHeader(h));
        }
        assertThat(m.getHeader("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(m.getHeader("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(m.getHeader("Host")).isEqualTo("127.0.0.1:" + proxy.proxy().frontAddress().getPort());
    }

    @Test
    void replicaConnectionsAreReused() throws Exception {
        answer(master, 200, "m");
        answer(backup, 200, "b");
        proxy(c -> c);
        for (int i = 0; i < 30; i++) {
            assertThat(proxy.get("/r" + i).statusCode()).isEqualTo(200);
            // the exchange ends once the backup's reply is read too: its connection is back in the pool
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> proxy.proxy().inflight().size() == 0);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> backup.getAllServeEvents().size() == 30);
        for (Replica r : proxy.proxy().replicas().all()) {
            assertThat(r.pool().connectionsOpened()).as(r.name()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void divergenceIsDetectedButTheMasterReplyIsSent() throws Exception {
        answer(master, 200, "one");
        answer(backup, 200, "two");
        java.util.concurrent.atomic.AtomicInteger bodies = new java.util.concurrent.atomic.AtomicInteger();
        proxy = new ProxyUnderTest.Builder().events(new ExchangeEvents() {
            @Override
            public void divergence(DivergenceKind kind) {
                if (kind == DivergenceKind.BODY) {
                    bodies.incrementAndGet();
                }
            }
        }).start(master.getPort(), backup.getPort());
        assertThat(proxy.get("/").body()).isEqualTo("one");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> bodies.get() == 1);
    }

    @Test
    void passThroughSendsToTheBackupOnlyWhenTheMasterFailed() throws Exception {
        master.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("m")));
        master.stubFor(any(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/sick"))
                .willReturn(aResponse().withStatus(503)));
        answer(backup, 200, "b");
        proxy(c -> c.withMirror(false));
        for (int i = 0; i < 5; i++) {
            assertThat(proxy.get("/fine/" + i).body()).isEqualTo("m");
        }
        HttpResponse<String> r = proxy.get("/sick");
        assertThat(r.body()).isEqualTo("b");
        assertThat(r.headers().firstValue("X-Served-By")).contains("backup");
        assertThat(backup.getAllServeEvents()).as("only the failed request reached the backup")
                .extracting(e -> e.getRequest().getUrl()).containsExactly("/sick");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> proxy.proxy().inflight().size() == 0);
    }

    private static LoggedRequest only(WireMockExtension origin, String url) {
        List<LoggedRequest> found = origin.getAllServeEvents().stream()
                .map(e -> e.getRequest()).filter(r -> r.getUrl().equals(url))
                .sorted(Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
        assertThat(found).as("requests for %s", url).hasSize(1);
        return found.get(0);
    }

    /** The client got the backup's reply, labelled as such. */
    private static void assertServedByBackup(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("from backup");
        assertThat(r.headers().firstValue("X-Served-By")).contains("backup");
    }
}
