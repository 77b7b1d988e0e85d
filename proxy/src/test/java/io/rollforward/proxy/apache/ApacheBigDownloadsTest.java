package io.rollforward.proxy.apache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.proxy.ha.ChildProcess;
import io.rollforward.proxy.testing.ApacheInstance;
import io.rollforward.proxy.testing.Closing;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, problem 2, as an operator meets it: the proxy at the README's heap bound
 * ({@code -Xms64m -Xmx192m}, its own JVM, real {@code run -c}), two real Apaches, 64 concurrent
 * 8 MiB downloads. Before Exchange v2 between 2 and 40 of them got 502 with an
 * OutOfMemoryError in the body and both replicas were ejected; now every one is a byte-identical
 * 200 and the proxy logs no OutOfMemoryError.
 */
class ApacheBigDownloadsTest {
    private static final int SIZE = 8 << 20;
    private static final int CLIENTS = 64;

    @TempDir
    Path dir;
    private ApacheInstance master;
    private ApacheInstance backup;
    private ChildProcess proxy;

    @AfterEach
    void stop() throws Exception {
        Closing.inOrder(proxy, master, backup);
    }

    @Test
    void sixtyFourConcurrentEightMiBDownloadsAtTheReadmeHeapBound() throws Exception {
        ApacheInstance.assumeAvailable();
        master = ApacheInstance.start("master");
        backup = ApacheInstance.start("backup");
        byte[] file = new byte[SIZE];
        new Random(12).nextBytes(file);
        for (ApacheInstance a : List.of(master, backup)) {
            Files.write(a.docRoot().resolve("big.bin"), file);
        }
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file));

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("rollforward.yaml");
        Files.writeString(config, "listen: 127.0.0.1:" + port + "\n"
                + "replicas:\n"
                + "  - {name: master, url: http://127.0.0.1:" + master.port() + "}\n"
                + "  - {name: backup, url: http://127.0.0.1:" + backup.port() + "}\n"
                + "per-request-timeout: 5s\n"
                + "admin: {listen: 127.0.0.1:0}\n");
        proxy = ChildProcess.start("proxy", dir, List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms64m", "-Xmx192m",
                "-cp", System.getProperty("java.class.path"), "io.rollforward.proxy.Main", "run", "-c", config.toString()));
        int listening = port;
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (Socket probe = new Socket("127.0.0.1", listening)) {
                return true;
            }
        });

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<String>> downloads = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/big.bin?c=" + i))
                    .timeout(Duration.ofSeconds(90)).build();
            downloads.add(client.sendAsync(get, HttpResponse.BodyHandlers.ofInputStream()).thenApply(r -> {
                try (InputStream in = r.body()) {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    byte[] buf = new byte[64 * 1024];
                    long total = 0;
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sha.update(buf, 0, n);
                        total += n;
                    }
                    return r.statusCode() + " " + total + " " + HexFormat.of().formatHex(sha.digest());
                } catch (Exception e) {
                    return "failed: " + e;
                }
            }));
        }
        List<String> results = new ArrayList<>();
        for (CompletableFuture<String> d : downloads) {
            results.add(d.get(120, TimeUnit.SECONDS));
        }
        assertThat(results).as("every download whole and byte-identical")
                .containsOnly("200 " + SIZE + " " + expected);
        assertThat(proxy.text()).doesNotContain("OutOfMemoryError").doesNotContain("replica master is now DOWN")
                .doesNotContain("replica backup is now DOWN");
    }
}
