package io.rollforward.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.proxy.ha.ChildProcess;
import io.rollforward.proxy.replica.ReplicaPool;
import io.rollforward.proxy.testing.Closing;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, "nothing grows without bound for a slow client": many clients reading slowly (each a
 * small socket receive buffer, a fixed rate) download from two fast origins through a proxy in
 * its own JVM with a small direct-memory limit. Every download must arrive whole, and Netty's
 * pooled direct memory must stay well below the limit: the clients' unread bytes wait in their
 * sockets and at the origins, not in the proxy (docs/ARCHITECTURE.md, "Bounded memory").
 *
 * <p>150 clients x 4 MiB at 256 KiB/s, proxy at {@code -XX:MaxDirectMemorySize=16m} (budget
 * {@code auto}: 8 MiB): peak pooled direct memory 8.8 MiB (10.8 with 64 KiB reads), buffered bytes at the budget, every
 * download whole. Before the
 * budget counted the clients' outbound bytes and the window's pinned capacity, and before a
 * backup reserved its next read, the same load peaked at 15.6 of 16 MiB and downloads were cut
 * by OutOfMemoryError.
 */
class SlowClientsMemoryTest {
    private static final Logger log = LoggerFactory.getLogger(SlowClientsMemoryTest.class);
    private static final int CLIENTS = 150;
    private static final int SIZE = 4 << 20;
    private static final int RATE = 256 * 1024; // bytes per second per client
    private static final int TICK_MS = 20;
    private static final int DIRECT_LIMIT_MIB = 16;
    /** The bound asserted: well under the limit, so an operator has headroom, not luck. */
    private static final double MAX_FRACTION = 0.8;
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;
    private PacedOrigin master;
    private PacedOrigin backup;
    private ChildProcess proxy;
    private ScheduledExecutorService ticker;

    @AfterEach
    void stop() throws Exception {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        }
        Closing.inOrder(proxy, master, backup);
    }

    @Test
    void manySlowClientsOfAFastOriginStayWellInsideTheDirectMemoryLimit() throws Exception {
        master = new PacedOrigin();
        backup = new PacedOrigin();
        int port = freePort();
        int admin = freePort();
        Path config = dir.resolve("rollforward.yaml");
        Files.writeString(config, "listen: 127.0.0.1:" + port + "\n"
                + "replicas:\n"
                + "  - {name: master, url: http://127.0.0.1:" + master.port() + "}\n"
                + "  - {name: backup, url: http://127.0.0.1:" + backup.port() + "}\n"
                + "per-request-timeout: 30s\n"
                + "admin: {listen: 127.0.0.1:" + admin + "}\n");
        proxy = ChildProcess.start("proxy", dir, List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
                "-XX:MaxDirectMemorySize=" + DIRECT_LIMIT_MIB + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.rollforward.proxy.Main", "run", "-c", config.toString()));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return true;
            }
        });

        List<SlowDownload> downloads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            downloads.add(new SlowDownload(port, "/file/" + SIZE + "/65536/0"));
        }
        Map<String, Double> peak = new ConcurrentHashMap<>();
        HttpClient scraper = HttpClient.newHttpClient();
        ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> downloads.forEach(SlowDownload::tick), 0, TICK_MS, TimeUnit.MILLISECONDS);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        try {
            sampler.scheduleWithFixedDelay(() -> sample(scraper, admin, peak), 0, 200, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                    .until(() -> downloads.stream().allMatch(SlowDownload::done));
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
        }
        sample(scraper, admin, peak);

        double limit = DIRECT_LIMIT_MIB * 1024.0 * 1024;
        log.info("{} slow clients x {} KiB at {} KiB/s, direct limit {} MiB: peak Netty direct {} MiB, "
                        + "peak buffered {} MiB (budget {} MiB), peak JDK direct buffers {} MiB", CLIENTS, SIZE >> 10,
                RATE >> 10, DIRECT_LIMIT_MIB, mib(peak.get("netty")), mib(peak.get("buffered")),
                mib(peak.get("budget")), mib(peak.get("jdk")));
        assertThat(downloads).as("every download whole: 200, Content-Length bytes, the origin's bytes")
                .allSatisfy(d -> assertThat(d.outcome()).isEqualTo("200 " + SIZE + " ok"));
        assertThat(peak.get("netty")).as("peak pooled direct memory, bytes (limit %.0f)", limit)
                .isNotNull().isLessThan(limit * MAX_FRACTION);
        // the windows stop at the budget: over it only by the first socket read of each backup
        assertThat(peak.get("buffered")).as("peak rollforward_buffered_bytes")
                .isLessThanOrEqualTo(peak.get("budget") + CLIENTS * (double) ReplicaPool.MAX_READ);
        assertThat(proxy.text()).doesNotContain("OutOfMemoryError").doesNotContain("LEAK:");
    }

    /** Maxima of the proxy's direct memory (every allocator), buffered bytes and budget limit. */
    private static void sample(HttpClient scraper, int admin, Map<String, Double> peak) {
        String text;
        try {
            text = scraper.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return; // not up yet, or busy: the next sample counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        double netty = 0;
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            String labels = m.group(2) == null ? "" : m.group(2);
            double v = Double.parseDouble(m.group(3));
            if (name.equals("netty_allocator_memory_used") && labels.contains("memory_type=\"direct\"")) {
                netty += v;
            } else if (name.equals("rollforward_buffered_bytes")) {
                peak.merge("buffered", v, Math::max);
            } else if (name.equals("rollforward_buffered_limit_bytes")) {
                peak.merge("budget", v, Math::max);
            } else if (name.equals("jvm_buffer_memory_used_bytes") && labels.contains("id=\"direct\"")) {
                peak.merge("jdk", v, Math::max);
            }
        }
        peak.merge("netty", netty, Math::max);
    }

    private static String mib(Double bytes) {
        return bytes == null ? "n/a" : String.format("%.1f", bytes / (1024 * 1024));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * One client: a non-blocking socket with a 16 KiB receive buffer, read at most {@link #RATE}
     * bytes per second by the ticker, each body byte checked against the origin's pattern.
     */
    private static final class SlowDownload {
        private final java.nio.channels.SocketChannel socket;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        private final StringBuilder head = new StringBuilder();
        private final long startedAt = System.nanoTime();
        private int status = -1;
        private long length = -1;
        private long body;
        private long readSoFar;
        private boolean wrong;
        private volatile String outcome;

        SlowDownload(int port, String target) throws IOException {
            socket = java.nio.channels.SocketChannel.open();
            socket.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.configureBlocking(false);
            ByteBuffer request = StandardCharsets.US_ASCII.encode("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n");
            while (request.hasRemaining()) {
                socket.write(request);
            }
        }

        boolean done() {
            return outcome != null;
        }

        String outcome() {
            return outcome;
        }

        /** Reads what the rate allows by now (on the ticker thread only). */
        void tick() {
            if (outcome != null) {
                return;
            }
            try {
                long allowed = (System.nanoTime() - startedAt) * RATE / 1_000_000_000L - readSoFar;
                while (allowed > 0 && outcome == null) {
                    buf.clear().limit((int) Math.min(buf.capacity(), allowed));
                    int n = socket.read(buf);
                    if (n < 0) {
                        finish(status + " " + body + (body == length ? "" : " of " + length) + " closed");
                        return;
                    }
                    if (n == 0) {
                        return;
                    }
                    readSoFar += n;
                    allowed -= n;
                    take(buf.flip());
                }
            } catch (IOException e) {
                finish(status + " " + body + " " + e);
            }
        }

        private void take(ByteBuffer in) {
            if (status < 0) {
                while (in.hasRemaining() && status < 0) {
                    head.append((char) (in.get() & 0xff));
                    if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                        status = Integer.parseInt(head.substring(9, 12));
                        Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
                        length = m.find() ? Long.parseLong(m.group(1)) : -2;
                    }
                }
            }
            while (in.hasRemaining()) {
                wrong |= in.get() != PacedOrigin.pattern(body);
                body++;
            }
            if (status >= 0 && body >= length) {
                finish(status + " " + body + (wrong ? " differs" : " ok"));
            }
        }

        private void finish(String result) {
            outcome = result;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a finished download
            }
        }
    }
}
