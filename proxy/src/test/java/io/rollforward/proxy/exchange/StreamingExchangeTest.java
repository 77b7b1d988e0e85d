package io.rollforward.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exchange v2 over real sockets: replies stream as they arrive, a master failing mid-body is
 * spliced to the backup byte-identically, a splice is refused honestly when the replies differ,
 * the splice window bounds what a slow client makes the proxy hold, and requests that fail every
 * replica are the request's fault (query-of-death guard), not the replicas'.
 */
class StreamingExchangeTest {
    private PacedOrigin master;
    private PacedOrigin backup;
    private ProxyUnderTest proxy;
    private final AtomicInteger splices = new AtomicInteger();
    private final List<UncoveredReason> uncovered = new CopyOnWriteArrayList<>();
    private final AtomicInteger quarantined = new AtomicInteger();

    @BeforeEach
    void origins() throws InterruptedException {
        master = new PacedOrigin();
        backup = new PacedOrigin();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        master.close();
        backup.close();
    }

    private void proxy(UnaryOperator<RollforwardConfig> tweak) throws InterruptedException {
        proxy = new ProxyUnderTest.Builder().config(tweak).events(new ExchangeEvents() {
            @Override
            public void spliced() {
                splices.incrementAndGet();
            }

            @Override
            public void uncovered(UncoveredReason reason) {
                uncovered.add(reason);
            }

            @Override
            public void quarantined() {
                quarantined.incrementAndGet();
            }
        }).start(master.port(), backup.port());
    }

    @Test
    void masterKilledMidDownloadIsSplicedToTheBackupByteIdentical() throws Exception {
        int size = 4 << 20;
        master.dieAfter(1 << 20);
        proxy(c -> c);
        HttpResponse<byte[]> r = proxy.getBytes("/file/" + size + "/65536/5");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Served-By")).contains("master"); // the head came from the master
        assertThat(r.body()).hasSize(size).isEqualTo(PacedOrigin.patternOf(size));
        assertThat(splices.get()).isEqualTo(1);
        assertThat(uncovered).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.proxy().inflight().size() == 0);
        assertThat(proxy.proxy().replicas().inService()).hasSize(2); // a single failure ejects nobody
    }

    @Test
    void chunkedReplyIsSplicedToo() throws Exception {
        int size = 2 << 20;
        master.dieAfter(300_000);
        proxy(c -> c);
        HttpResponse<byte[]> r = proxy.getBytes("/chunked/" + size + "/32768/2");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(PacedOrigin.patternOf(size));
        assertThat(splices.get()).isEqualTo(1);
    }

    @Test
    void replicasThatDifferCannotBeSplicedTheClientConnectionCloses() throws Exception {
        master.dieAfter(512 * 1024);
        proxy(c -> c);
        assertThatThrownBy(() -> proxy.getBytes("/random/" + (2 << 20) + "/65536/5")).isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> uncovered.contains(UncoveredReason.DIVERGED));
        assertThat(splices.get()).isZero();
    }

    @Test
    void noBackupLeftMidBodyIsCountedAsSuch() throws Exception {
        backup.dieAfter(0);
        master.dieAfter(256 * 1024);
        proxy(c -> c);
        assertThatThrownBy(() -> proxy.getBytes("/file/" + (1 << 20) + "/65536/5")).isInstanceOf(IOException.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> uncovered.contains(UncoveredReason.NO_BACKUP));
    }

    @Test
    void masterStallingMidBodyIsSplicedAfterTheReplyIdleTimeout() throws Exception {
        int size = 1 << 20;
        master.stallAfter(200_000);
        proxy(c -> c.withReplyIdleTimeout(Duration.ofMillis(400)));
        HttpResponse<byte[]> r = proxy.getBytes("/file/" + size + "/65536/2");
        assertThat(r.body()).isEqualTo(PacedOrigin.patternOf(size));
        assertThat(splices.get()).isEqualTo(1);
    }

    @Test
    void perRequestTimeoutBoundsTheHeadNotTheBody() throws Exception {
        int size = 1 << 20;
        proxy(c -> c.withPerRequestTimeout(Duration.ofMillis(300)));
        // 16 pieces 60 ms apart: the body takes about a second, three times the per-request timeout
        HttpResponse<byte[]> r = proxy.getBytes("/file/" + size + "/65536/60");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(PacedOrigin.patternOf(size));
        assertThat(splices.get()).isZero();
    }

    @Test
    void eventStreamArrivesAsProduced() throws Exception {
        proxy(c -> c);
        HttpResponse<InputStream> r = proxy.client().send(HttpRequest.newBuilder(proxy.uri("/sse/5/200")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.headers().firstValue("Content-Type")).contains("text/event-stream");
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    arrivals.add(System.nanoTime());
                }
            }
        }
        assertThat(arrivals).hasSize(5);
        // produced 200 ms apart: a proxy that buffered the stream would hand them over together
        long firstToLastMs = (arrivals.get(4) - arrivals.get(0)) / 1_000_000;
        assertThat(firstToLastMs).isGreaterThan(500);
    }

    @Test
    void aSlowClientMakesTheProxyHoldNoMoreThanTheSpliceWindow() throws Exception {
        int size = 32 << 20;
        long window = 128 * 1024;
        proxy(c -> c.withLimits(c.limits().withSpliceWindow(window)));
        BufferBudget budget = proxy.proxy().bufferBudget();
        long held = 0;
        long read = 0;
        try (Socket s = new Socket("127.0.0.1", proxy.proxy().frontAddress().getPort())) {
            s.setReceiveBufferSize(64 * 1024);
            OutputStream out = s.getOutputStream();
            out.write(("GET /file/" + size + "/65536/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64 * 1024];
            // read 2 MiB at about 1 MiB/s while the origins could send at line rate
            while (read < (2 << 20)) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                read += n;
                held = Math.max(held, budget.used());
                await().pollDelay(Duration.ofMillis(50)).atMost(Duration.ofSeconds(1)).until(() -> true);
            }
            // the backup was held back by TCP, not read ahead: what it wrote is what the client read,
            // the window, and what the kernel's socket buffers on loopback absorb (a few MiB)
            assertThat(backup.bodyBytesWritten.get()).as("backup bytes written").isLessThan(read + (12L << 20));
        }
        assertThat(read).isGreaterThanOrEqualTo(2 << 20);
        // the backup's window, plus at most one socket read that overshot it
        assertThat(held).isLessThanOrEqualTo(window + 64 * 1024);
        // the client left a GET: the backup's copy is dropped too (not read to the end of the file),
        // and nothing is held
        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.proxy().inflight().size() == 0);
        assertThat(budget.used()).isZero();
        assertThat(backup.bodyBytesWritten.get()).as("backup bytes written").isLessThan(size / 2);
    }

    @Test
    void requestsThatFailEveryReplicaEjectNobodyAndAreQuarantined() throws Exception {
        proxy(c -> c.withPerRequestTimeout(Duration.ofMillis(300)).withEjectAfter(3));
        // five concurrent requests that time out everywhere: the request's fault, not the replicas'
        List<CompletableFuture<HttpResponse<String>>> attack = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            attack.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/hang")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : attack) {
            assertThat(f.get().statusCode()).isEqualTo(504);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.proxy().inflight().size() == 0);
        assertThat(proxy.proxy().replicas().inService()).hasSize(2);
        assertThat(proxy.get("/ok").statusCode()).isEqualTo(200);
        // the reply is the master's: the backup's copy of /ok may still be on its way to its journal
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.proxy().inflight().size() == 0);

        // the next one is a canary: the master alone gets it, the backup waits for its outcome
        int backupSaw = backup.journal.size();
        assertThat(proxy.get("/hang").statusCode()).isEqualTo(504);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.proxy().inflight().size() == 0);
        assertThat(backup.journal.size()).isEqualTo(backupSaw);
        assertThat(quarantined.get()).isEqualTo(1);

        // quarantined: refused at once, nothing sent
        int masterSaw = master.journal.size();
        HttpResponse<String> refused = proxy.get("/hang");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("quarantined");
        assertThat(master.journal.size()).isEqualTo(masterSaw);
        // and the site answers throughout
        assertThat(proxy.get("/ok").statusCode()).isEqualTo(200);
        assertThat(proxy.proxy().replicas().inService()).hasSize(2);
    }

    @Test
    void aClientLeavingAPassThroughRequestEndsItsExchangeAndNobodyReRunsIt() throws Exception {
        proxy(c -> c.withMirror(false).withPerRequestTimeout(Duration.ofMillis(300)));
        int port = proxy.proxy().frontAddress().getPort();
        String write = "POST /hang HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok";
        // before the head of a write: the master never answers, each client gives up first; the
        // master's copy runs on to its timeout
        for (int i = 1; i <= 3; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write(write.getBytes(StandardCharsets.US_ASCII));
                long seen = i;
                await().atMost(Duration.ofSeconds(5)).until(() -> count(master.journal, "/hang") == seen);
            }
        }
        // mid-body: the first bytes of a slow download, then the client leaves
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET /file/" + (4 << 20) + "/65536/20 HTTP/1.1\r\nHost: x\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().readNBytes(4096)).hasSize(4096);
        }
        // every exchange ends (none waits forever for a backup that is never sent), and the backup,
        // which a pass-through request reaches only to replace a failed master, never saw them
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.proxy().inflight().size() == 0);
        assertThat(backup.journal).isEmpty();
        // the guard did not take the abandoned writes for a request that fails everywhere: the next
        // one is no canary, the backup gets it when the master times out
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(write.getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).startsWith("HTTP/1.1 504");
        }
        assertThat(count(backup.journal, "/hang")).isEqualTo(1);
        assertThat(quarantined.get()).isZero();
    }

    private static long count(List<String> journal, String path) {
        return journal.stream().filter(line -> line.contains(path)).count();
    }

    @Test
    void theFiveRequestAttackRepeatedTwentyTimesLeavesNormalRequestsAnswered() throws Exception {
        proxy(c -> c.withPerRequestTimeout(Duration.ofMillis(300)));
        int normal = 0;
        List<Integer> attackStatuses = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int round = 0; round < 20; round++) {
            List<CompletableFuture<HttpResponse<String>>> attack = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                attack.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/hang")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < 3; i++) { // the rest of the site while the attack runs
                assertThat(proxy.get("/ok/" + round + "/" + i).statusCode()).as("normal request in round %d", round)
                        .isEqualTo(200);
                normal++;
            }
            for (CompletableFuture<HttpResponse<String>> f : attack) {
                attackStatuses.add(f.get().statusCode());
            }
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertThat(normal).isEqualTo(60);
        assertThat(attackStatuses).containsOnly(503, 504); // 504 until the canary failed, then quarantined
        assertThat(attackStatuses.stream().filter(s -> s == 503).count()).isGreaterThanOrEqualTo(80);
        assertThat(proxy.proxy().replicas().inService()).hasSize(2);
        org.slf4j.LoggerFactory.getLogger(StreamingExchangeTest.class).info(
                "query-of-death: 20 attack rounds in {} s, 60 normal requests all 200, attack statuses {}", seconds,
                attackStatuses);
    }

    @Test
    void oversizedReplyHeadIsAClearReplicaFailureNotATimeout() throws Exception {
        proxy(c -> c.withPerRequestTimeout(Duration.ofSeconds(20)).withLimits(
                c.limits().withMaxResponseHeaderSize(16 * 1024)));
        long t0 = System.nanoTime();
        HttpResponse<String> r = proxy.get("/bighead/20000");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).contains("master: head_too_large").contains("backup: head_too_large");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("not the 20 s timeout").isLessThan(10_000);
        assertThat(proxy.proxy().replicas().inService()).hasSize(2);
    }

    @Test
    void stoppingCutsWhatOutlivesTheShutdownTimeoutAndReleasesIt() throws Exception {
        proxy(c -> c.withPerRequestTimeout(Duration.ofSeconds(60)).withShutdownTimeout(Duration.ofMillis(300)));
        CompletableFuture<HttpResponse<String>> stuck = proxy.client().sendAsync(
                HttpRequest.newBuilder(proxy.uri("/hang")).build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> master.journal.size() == 1 && backup.journal.size() == 1);
        long t0 = System.nanoTime();
        proxy.close();
        assertThat((System.nanoTime() - t0) / 1_000_000).as("not the 60 s per-request timeout").isLessThan(10_000);
        assertThat(proxy.proxy().inflight().size()).isZero();
        assertThat(proxy.proxy().bufferBudget().used()).isZero();
        assertThatThrownBy(stuck::join).hasCauseInstanceOf(IOException.class); // cut, never a wrong reply
        proxy = null;
    }

    @Test
    void headRequestGetsTheHeadOnly() throws Exception {
        proxy(c -> c);
        HttpResponse<String> r = proxy.client().send(HttpRequest.newBuilder(proxy.uri("/file/1000/1000/1"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Length")).contains("1000");
        assertThat(r.body()).isEmpty();
        assertThat(proxy.get("/ok").body()).isEqualTo("ok"); // the connection is still in step
    }
}
