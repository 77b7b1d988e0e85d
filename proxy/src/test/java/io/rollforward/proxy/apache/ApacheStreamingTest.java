package io.rollforward.proxy.apache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.config.ReplicaConfig;
import io.rollforward.proxy.metrics.PrometheusScrape;
import io.rollforward.proxy.testing.ApacheInstance;
import io.rollforward.proxy.testing.ProxyUnderTest;
import io.rollforward.proxy.testing.StreamingOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamed replies from two real Apache 2.4 servers (issue "Exchange v2"): a reply reaches the
 * client as it is produced, a master killed with kill -9 mid-body is spliced to the backup so the
 * client still gets the whole file byte for byte, a slow client does not make the proxy buffer
 * the reply, and a non-deterministic reply that cannot be spliced closes the client's connection
 * and is counted as uncovered, reason "diverged".
 */
class ApacheStreamingTest {
    private static final String FILE = "stream-12m.bin";
    private static final int FILE_SIZE = 12 * 1024 * 1024;
    private static final String FAST_FILE = "fast-16m.bin";
    private static final int FAST_FILE_SIZE = 16 * 1024 * 1024;
    /** The default {@code limits.splice-window}: what the proxy may read of a backup ahead of the client. */
    private static final long SPLICE_WINDOW = 256 * 1024;

    private static ApacheInstance master;
    private static ApacheInstance backup;
    private static byte[] file;
    private static ExecutorService readers;

    @BeforeAll
    static void startApaches() throws Exception {
        ApacheInstance.assumeAvailable();
        master = ApacheInstance.start("master");
        backup = ApacheInstance.start("backup");
        for (ApacheInstance apache : List.of(master, backup)) {
            StreamingOrigin.installScripts(apache);
            file = StreamingOrigin.installFile(apache, FILE, FILE_SIZE);
            StreamingOrigin.installFile(apache, FAST_FILE, FAST_FILE_SIZE);
        }
        readers = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void stopApaches() {
        if (readers != null) {
            readers.shutdownNow();
        }
        if (master != null) {
            master.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    private static ProxyUnderTest proxy() throws InterruptedException {
        return new ProxyUnderTest.Builder().config(c -> c
                        .withReplicas(List.of(ReplicaConfig.of("master", master.hostPort()),
                                ReplicaConfig.of("backup", backup.hostPort())))
                        .withPerRequestTimeout(Duration.ofSeconds(10)))
                .start();
    }

    @Test
    void killingTheMasterMidDownloadStillGivesTheClientTheWholeFile() throws Exception {
        try (ProxyUnderTest proxy = proxy()) {
            Download download = Download.start(proxy, "/cgi-bin/stream?file=" + FILE + "&kibps=4096");
            // the kill must land mid-body as the client sees it: 30% of the file already received
            await("30% of the file at the client before the master dies (replies stream as they arrive)")
                    .atMost(Duration.ofSeconds(20)).until(() -> download.received() >= FILE_SIZE * 3L / 10);
            long receivedAtKill = download.received();
            master.killHard();
            Download.Result result = download.result(Duration.ofSeconds(60));
            System.out.printf("kill -9 of the master after %d of %d bytes reached the client: client got %d bytes, %s%n",
                    receivedAtKill, FILE_SIZE, result.bytes(), result.failure() == null ? "complete" : result.failure());
            assertThat(receivedAtKill).as("bytes at the client when the master was killed").isLessThan(FILE_SIZE);
            assertThat(result.failure()).as("the client's download failed").isNull();
            assertThat(result.status()).isEqualTo(200);
            assertThat(result.bytes()).isEqualTo(FILE_SIZE);
            assertThat(result.sha256()).as("sha256 of the client's body").isEqualTo(sha256(file));
        } finally {
            master.restart();
        }
    }

    @Test
    void aSlowClientDoesNotMakeTheProxyBufferTheReply() throws Exception {
        try (ProxyUnderTest proxy = proxy();
             Socket client = new Socket()) {
            long directBefore = nettyDirectMemoryUsed(proxy);
            // a small receive window, read at 64 KiB/s: the origins are fast, the client is not
            client.setReceiveBufferSize(64 * 1024);
            client.connect(new InetSocketAddress("127.0.0.1", proxy.proxy().frontAddress().getPort()), 5000);
            client.setSoTimeout(10_000);
            OutputStream out = client.getOutputStream();
            out.write(("GET /" + FAST_FILE + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = client.getInputStream();
            AtomicLong received = new AtomicLong();
            ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
            List<Long> buffered = new ArrayList<>();
            List<Long> directGrowth = new ArrayList<>();
            try {
                byte[] chunk = new byte[16 * 1024];
                pace.scheduleAtFixedRate(() -> {
                    try {
                        int n = in.readNBytes(chunk, 0, chunk.length);
                        received.addAndGet(n);
                    } catch (IOException e) {
                        received.set(-1);
                    }
                }, 0, 250, TimeUnit.MILLISECONDS);
                long start = System.nanoTime();
                for (int second = 1; second <= 8; second++) {
                    long due = start + TimeUnit.SECONDS.toNanos(second);
                    await().atMost(Duration.ofSeconds(second + 5)).pollInterval(Duration.ofMillis(50))
                            .until(() -> System.nanoTime() >= due);
                    PrometheusScrape scrape = PrometheusScrape.parse(proxy.proxy().metrics().scrape());
                    List<PrometheusScrape.Sample> gauge = scrape.find("rollforward_buffered_bytes");
                    buffered.add(gauge.isEmpty() ? null : (long) gauge.get(0).value());
                    directGrowth.add(nettyDirectMemoryUsed(proxy) - directBefore);
                }
            } finally {
                pace.shutdownNow();
            }
            System.out.printf("slow client (64 KiB/s) on a %d-byte file: received %d bytes in 8 s; proxy buffered bytes each second %s; "
                    + "Netty direct memory growth each second %s%n", FAST_FILE_SIZE, received.get(), buffered, directGrowth);
            assertThat(received.get()).as("bytes the slow client read in 8 s").isGreaterThan(256 * 1024L);
            assertThat(buffered).as("rollforward_buffered_bytes while the client reads slowly (null: no such gauge)")
                    .allSatisfy(b -> assertThat(b).isNotNull().isLessThanOrEqualTo(2 * SPLICE_WINDOW));
            assertThat(directGrowth).as("Netty direct memory in use, above the level before the download")
                    .allSatisfy(g -> assertThat(g).isLessThan(8L * 1024 * 1024));
        }
    }

    @Test
    void serverSentEventsReachTheClientAsTheyAreProduced() throws Exception {
        try (ProxyUnderTest proxy = proxy()) {
            long sent = System.nanoTime();
            HttpResponse<Stream<String>> response = proxy.client().send(HttpRequest.newBuilder(
                            proxy.uri("/cgi-bin/sse?n=10&ms=200")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofLines());
            List<Long> eventMillis = new ArrayList<>();
            try (Stream<String> lines = response.body()) {
                lines.filter(l -> l.startsWith("data: "))
                        .forEach(l -> eventMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)));
            }
            System.out.printf("server-sent events (10, one every 200 ms) through the proxy arrived at %s ms%n", eventMillis);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    t -> assertThat(t).startsWith("text/event-stream"));
            assertThat(eventMillis).hasSize(10);
            // produced over 1.8 s: the first must not wait for the last (no absolute bound: a cold
            // CGI start on a loaded machine can take seconds, the spacing of the events cannot)
            assertThat(eventMillis.get(0)).as("first event, ms after the request").isLessThan(eventMillis.get(9) - 1000);
        }
    }

    @Test
    void aNonDeterministicReplyCutMidBodyClosesTheClientAndCountsDiverged() throws Exception {
        int size = 4 * 1024 * 1024;
        try (ProxyUnderTest proxy = proxy()) {
            // random bytes: the backup's reply differs from the master's from the first byte on
            Download download = Download.start(proxy, "/cgi-bin/stream?random=" + size + "&kibps=1024");
            await("512 KiB at the client before the master dies (replies stream as they arrive)")
                    .atMost(Duration.ofSeconds(20)).until(() -> download.received() >= 512 * 1024);
            master.killHard();
            Download.Result result = download.result(Duration.ofSeconds(60));
            System.out.printf("non-deterministic origin, master killed mid-body: client got %d of %d bytes, %s%n",
                    result.bytes(), size, result.failure() == null ? "complete" : result.failure());
            assertThat(result.failure()).as("the client's connection was closed mid-body").isNotNull();
            assertThat(result.bytes()).isLessThan(size);
            await("rollforward_uncovered_total{reason=\"diverged\"} counted").atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(PrometheusScrape.parse(proxy.proxy().metrics().scrape())
                            .find("rollforward_uncovered_total", "reason", "diverged"))
                            .extracting(PrometheusScrape.Sample::value).containsExactly(1.0));
        } finally {
            master.restart();
        }
    }

    /** Netty's direct memory in use (every allocator the proxy reports), from its metrics. */
    private static long nettyDirectMemoryUsed(ProxyUnderTest proxy) {
        return (long) PrometheusScrape.parse(proxy.proxy().metrics().scrape())
                .find("netty_allocator_memory_used", "memory_type", "direct").stream()
                .mapToDouble(PrometheusScrape.Sample::value).sum();
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** One GET through the proxy read on a reader thread: bytes so far, then status, length, sha256 or the failure. */
    private static final class Download {
        record Result(int status, long bytes, String sha256, Throwable failure) {}

        private final AtomicLong received = new AtomicLong();
        private final CompletableFuture<Result> result;

        private Download(ProxyUnderTest proxy, String path) {
            result = CompletableFuture.supplyAsync(() -> read(proxy, path), readers);
        }

        static Download start(ProxyUnderTest proxy, String path) {
            return new Download(proxy, path);
        }

        long received() {
            return received.get();
        }

        Result result(Duration timeout) throws Exception {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private Result read(ProxyUnderTest proxy, String path) {
            int status = -1;
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                HttpResponse<InputStream> response = proxy.client().send(HttpRequest.newBuilder(proxy.uri(path))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
                try (InputStream in = response.body()) {
                    byte[] buf = new byte[64 * 1024];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        digest.update(buf, 0, n);
                        received.addAndGet(n);
                    }
                }
                return new Result(status, received.get(), HexFormat.of().formatHex(digest.digest()), null);
            } catch (IOException | NoSuchAlgorithmException e) {
                return new Result(status, received.get(), null, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(status, received.get(), null, e);
            }
        }
    }
}
