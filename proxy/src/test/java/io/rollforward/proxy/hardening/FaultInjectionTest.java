package io.rollforward.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.config.Limits;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.Outcome;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas failing in the ways real web servers fail, over real loopback sockets: what the client
 * got, which replica served it, and (through the LeakDetectionExtension on this class) that no
 * buffer leaked on any of those paths.
 */
class FaultInjectionTest {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final AtomicInteger uncovered = new AtomicInteger();
    private final List<Outcome> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ProxyUnderTest proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        for (AutoCloseable r : resources) {
            r.close();
        }
    }

    private TinyOrigin origin(String name, TinyOrigin.Mode mode) throws Exception {
        return origin(name, mode, 0);
    }

    private TinyOrigin origin(String name, TinyOrigin.Mode mode, int bigBody) throws Exception {
        TinyOrigin o = new TinyOrigin(name, mode, bigBody);
        resources.add(o);
        return o;
    }

    private ChildOrigin child(String name, TinyOrigin.Mode mode) throws Exception {
        ChildOrigin o = new ChildOrigin(name, mode);
        resources.add(o);
        return o;
    }

    private ProxyUnderTest proxy(UnaryOperator<RollforwardConfig> tweak, int... ports) throws InterruptedException {
        proxy = new ProxyUnderTest.Builder().config(tweak).events(new ExchangeEvents() {
            @Override
            public void uncovered(io.rollforward.proxy.exchange.UncoveredReason reason) {
                uncovered.incrementAndGet();
            }

            @Override
            public void requestCompleted(String servedBy, Outcome outcome) {
                outcomes.add(outcome);
            }
        }).start(ports);
        return proxy;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return proxy.get(path);
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        return proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertServedBy(HttpResponse<String> r, int status, String replica) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("X-Served-By")).contains(replica);
    }

    @Test
    void masterKilledWithSigkillMidRequestRollsForward() throws Exception {
        ChildOrigin master = child("master", TinyOrigin.Mode.WAIT);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.OK);
        proxy(c -> c.withPerRequestTimeout(Duration.ofSeconds(20)), master.port(), backup.port());
        CompletableFuture<HttpResponse<String>> reply = getAsync("/order/1");
        await().atMost(Duration.ofSeconds(10)).until(() -> master.lines.contains("GOT GET /order/1"));
        assertThat(reply).isNotDone(); // the master holds the request: no reply yet
        master.killHard();
        HttpResponse<String> r = reply.get(10, TimeUnit.SECONDS);
        assertServedBy(r, 200, "backup");
        assertThat(r.body()).isEqualTo("from backup len=0");
        assertThat(outcomes).containsExactly(Outcome.ROLLED_FORWARD);
    }

    @Test
    void masterFrozenWithSigstopTimesOutToTheBackupThenServesAgainAfterSigcont() throws Exception {
        ChildOrigin master = child("master", TinyOrigin.Mode.OK);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.OK);
        proxy(c -> c.withPerRequestTimeout(Duration.ofMillis(1500)), master.port(), backup.port());
        assertServedBy(get("/warm"), 200, "master");
        master.signal("STOP");
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/while-frozen");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertServedBy(r, 200, "backup");
        assertThat(ms).isGreaterThanOrEqualTo(1400).isLessThan(10_000);
        master.signal("CONT");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertServedBy(get("/after"), 200, "master"));
    }

    @Test
    void masterResetRollsForward() throws Exception {
        TinyOrigin master = origin("master", TinyOrigin.Mode.RST);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.OK);
        proxy(c -> c, master.port(), backup.port());
        assertServedBy(get("/rst"), 200, "backup");
        assertThat(master.journal).contains("GOT GET /rst");
    }

    @Test
    void masterTruncatedReplyIsSplicedToTheBackup() throws Exception {
        // The master's head and first bytes are already the client's when its connection dies:
        // the backup's reply has the same status and length and the same first bytes, so the
        // client's body continues from the backup at the offset sent, byte-identical.
        TinyOrigin master = origin("master", TinyOrigin.Mode.TRUNCATE);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.HUNDRED);
        proxy(c -> c, master.port(), backup.port());
        HttpResponse<String> r = get("/short");
        assertServedBy(r, 200, "master");
        assertThat(r.body()).isEqualTo("short" + "x".repeat(95));
        assertThat(uncovered.get()).isZero();
    }

    @Test
    void masterTruncatedWithADifferentBackupReplyClosesTheClientHonestly() throws Exception {
        TinyOrigin master = origin("master", TinyOrigin.Mode.TRUNCATE);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.OK); // another length: no splice
        proxy(c -> c, master.port(), backup.port());
        try (RawClient c = new RawClient(proxy.proxy().frontAddress())) {
            String got = new String(c.send("GET /short HTTP/1.1\r\nHost: x\r\n\r\n").readToClose(), StandardCharsets.ISO_8859_1);
            assertThat(got).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 100").endsWith("\r\n\r\nshort");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> uncovered.get() == 1);
    }

    @Test
    void master503RollsForward() throws Exception {
        TinyOrigin master = origin("master", TinyOrigin.Mode.STATUS_503);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.OK);
        proxy(c -> c, master.port(), backup.port());
        assertServedBy(get("/busy"), 200, "backup");
    }

    @Test
    void deadBackupDoesNotAffectTheClient() throws Exception {
        TinyOrigin master = origin("master", TinyOrigin.Mode.OK);
        proxy(c -> c, master.port(), FrontFixture.closedPort());
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = get("/fine/" + i);
            assertServedBy(r, 200, "master");
            assertThat(r.body()).isEqualTo("from master len=0");
        }
        assertThat(outcomes).containsOnly(Outcome.MASTER);
    }

    @Test
    void bothDeadGives502Promptly() throws Exception {
        proxy(c -> c, FrontFixture.closedPort(), FrontFixture.closedPort());
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("master: connect").contains("backup: connect");
        assertThat(ms).isLessThan(4000);
    }

    @Test
    void bothHangingGives504AtThePerRequestTimeout() throws Exception {
        TinyOrigin master = origin("master", TinyOrigin.Mode.WAIT);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.WAIT);
        proxy(c -> c.withPerRequestTimeout(Duration.ofMillis(800)), master.port(), backup.port());
        long t0 = System.nanoTime();
        HttpResponse<String> r = get("/");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(r.body()).contains("master: timeout").contains("backup: timeout");
        assertThat(ms).isGreaterThanOrEqualTo(750).isLessThan(5000);
    }

    @Test
    void masterThatNeverReadsALargePostTimesOutToTheBackup() throws Exception {
        TinyOrigin master = origin("master", TinyOrigin.Mode.NEVER_READ);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.OK);
        proxy(c -> c.withPerRequestTimeout(Duration.ofMillis(1500)), master.port(), backup.port());
        byte[] body = new byte[8 * 1024 * 1024]; // far more than loopback's socket buffers hold
        HttpResponse<String> r = proxy.client().send(HttpRequest.newBuilder(proxy.uri("/upload"))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertServedBy(r, 200, "backup");
        assertThat(r.body()).isEqualTo("from backup len=" + body.length);
        assertThat(master.journal).contains("ACCEPTED");
    }

    @Test
    void replyOverTheOldBufferLimitStreamsAndStaysCovered() throws Exception {
        int size = 3 * 1024 * 1024;
        TinyOrigin master = origin("master", TinyOrigin.Mode.BIG, size);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.BIG, size);
        Limits small = withResponseBuffer(Limits.DEFAULT, 512 * 1024);
        proxy(c -> c.withLimits(small), master.port(), backup.port());
        HttpResponse<byte[]> r = proxy.getBytes("/big");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Served-By")).contains("master");
        assertThat(r.body()).hasSize(size);
        assertThat(uncovered.get()).isZero(); // the backup is read in step: a splice was possible throughout
        // and the connection pool is still good afterwards
        assertThat(proxy.getBytes("/big").body()).hasSize(size);
    }

    @Test
    void clientDisconnectingMidRequestLeavesNoReplicaConnectionBehind() throws Exception {
        TinyOrigin master = origin("master", TinyOrigin.Mode.WAIT);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.WAIT);
        proxy(c -> c.withPerRequestTimeout(Duration.ofSeconds(30)), master.port(), backup.port());
        leaveOnceBothGot("GET /gone HTTP/1.1\r\nHost: x\r\n\r\n", "GOT GET /gone", master, backup);
        // a GET nobody will read: both copies are dropped at once, long before the 30 s timeout
        awaitNothingLeft(master, backup);
        assertThat(outcomes).containsExactly(Outcome.FAILED);
    }

    @Test
    void clientDisconnectingMidWriteLeavesTheReplicasToFinishIt() throws Exception {
        TinyOrigin master = origin("master", TinyOrigin.Mode.WAIT);
        TinyOrigin backup = origin("backup", TinyOrigin.Mode.WAIT);
        proxy(c -> c.withPerRequestTimeout(Duration.ofMillis(2500)), master.port(), backup.port());
        leaveOnceBothGot("POST /gone HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok", "GOT POST /gone",
                master, backup);
        // a write: every replica that got it runs it to its end (here: its timeout), client or not
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).until(
                () -> proxy.proxy().inflight().size() == 1 && master.openConnections.get() == 1
                        && backup.openConnections.get() == 1);
        awaitNothingLeft(master, backup);
        assertThat(outcomes).containsExactly(Outcome.FAILED);
    }

    /** Sends {@code request}, waits until both origins logged {@code got}, then closes the client. */
    private void leaveOnceBothGot(String request, String got, TinyOrigin master, TinyOrigin backup) throws Exception {
        try (RawClient c = new RawClient(proxy.proxy().frontAddress())) {
            c.send(request);
            await().atMost(Duration.ofSeconds(10)).until(() -> master.journal.contains(got) && backup.journal.contains(got));
            assertThat(proxy.proxy().inflight().size()).isEqualTo(1);
        }
    }

    /** The exchange ended and no connection to either origin is left open. */
    private void awaitNothingLeft(TinyOrigin master, TinyOrigin backup) {
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.proxy().inflight().size() == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> master.openConnections.get() == 0
                && backup.openConnections.get() == 0);
    }

    private static Limits withResponseBuffer(Limits l, long bytes) {
        return new Limits(l.maxRequestBody(), l.maxHeaderSize(), l.maxInitialLineLength(), bytes,
                l.headerReadTimeout(), l.idleTimeout(), l.maxConnections(), l.replicaPoolSize(),
                l.replicaIdleTimeout(), l.connectTimeout());
    }
}
