package io.rollforward.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rollforward.proxy.testing.ApacheInstance;
import io.rollforward.testkit.TestCertificates;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rollforward run} as its own process with real signals: SIGHUP after the certificate
 * files were replaced gives new handshakes the new certificate; a broken file on SIGHUP is refused
 * with check-config's errors and the old config serves on; 8 reloads while wrk loads the proxy
 * (every other one adding or removing a third replica) cost no request; SIGTERM with 10 slow requests in flight lets all 10 finish, then exits 0.
 */
class ReloadAndDrainTest {
    @TempDir
    static Path dir;
    private static ApacheInstance master;
    private static ApacheInstance backup;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestCertificates.available(), "needs the openssl CLI (Debian openssl)");
        ApacheInstance.assumeAvailable();
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

    private static Path config(String name, String extra) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml(extra));
        return file;
    }

    private static String yaml(String extra) {
        return yaml(extra, "");
    }

    /** @param moreReplicas replica lines after master and backup */
    private static String yaml(String extra, String moreReplicas) {
        return "listen: 127.0.0.1:0\n"
                + "replicas:\n"
                + "  - {name: master, url: http://" + master.hostPort() + "}\n"
                + "  - {name: backup, url: http://" + backup.hostPort() + "}\n"
                + moreReplicas
                + "per-request-timeout: 10s\n"
                + "admin: {listen: 127.0.0.1:0}\n"
                + "tls:\n"
                + "  listen: 127.0.0.1:0\n"
                + "  certificates:\n"
                + "    - {certificate: live.pem, private-key: live.key}\n"
                + extra;
    }

    private static void install(TestCertificates.Pair pair) throws IOException {
        Files.copy(pair.certificate(), dir.resolve("live.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(pair.privateKey(), dir.resolve("live.key"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void sighupReloadsTheCertificateAndRefusesABrokenFile() throws Exception {
        install(TestCertificates.create(dir, "one", "localhost"));
        Path file = config("hup", "");
        try (ProxyProcess proxy = ProxyProcess.run(file)) {
            InetSocketAddress tls = new InetSocketAddress("127.0.0.1", proxy.tlsPort);
            assertThat(TlsClients.certificateSubject(tls, null)).isEqualTo("CN=localhost");

            install(TestCertificates.create(dir, "two", "renewed.test", "localhost"));
            proxy.signal("HUP");
            await().atMost(Duration.ofSeconds(30)).until(() -> proxy.count("config reloaded") == 1);
            assertThat(TlsClients.certificateSubject(tls, null)).isEqualTo("CN=renewed.test");

            Files.writeString(file, yaml("stagger: 5x\n"));
            proxy.signal("HUP");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(proxy.count("reload refused"))
                    .as("proxy output:%n%s", proxy.output()).isEqualTo(1));
            assertThat(proxy.output()).contains(file + ":11:10: stagger: \"5x\"");
            assertThat(TlsClients.certificateSubject(tls, null)).isEqualTo("CN=renewed.test");
            HttpResponse<byte[]> still = TlsClients.http2().send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + proxy.tlsPort + "/1k.bin")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(still.statusCode()).isEqualTo(200);
            assertThat(still.body()).isEqualTo(ApacheInstance.contentOf("1k.bin"));
            assertThat(proxy.alive()).isTrue();
        }
    }

    @Test
    void eightReloadsUnderWrkLoadCostNoRequest() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wrk")), "needs wrk (Debian wrk)");
        install(TestCertificates.create(dir, "load", "localhost"));
        Path file = config("load", "");
        try (ApacheInstance third = ApacheInstance.start("third"); ProxyProcess proxy = ProxyProcess.run(file)) {
            String thirdReplica = "  - {name: third, url: http://" + third.hostPort() + "}\n";
            Path wrkOut = dir.resolve("wrk.txt");
            // bounded: 4 connections, 12 seconds, over HTTPS (HTTP/1.1)
            Process wrk = new ProcessBuilder("wrk", "-t1", "-c4", "-d12s", "--timeout", "5s",
                    "https://127.0.0.1:" + proxy.tlsPort + "/index.html")
                    .redirectErrorStream(true).redirectOutput(wrkOut.toFile()).start();
            for (int i = 1; i <= 8; i++) {
                // each reload changes something an exchange uses; every other one adds or removes a replica
                Files.writeString(file, yaml("served-by-header: X-Served-" + i + "\nstagger: " + i + "ms\n",
                        i % 2 == 1 ? thirdReplica : ""));
                proxy.signal("HUP");
                int done = i;
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(proxy.count("config reloaded"))
                        .as("proxy output:%n%s", proxy.output()).isEqualTo(done));
            }
            assertThat(wrk.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String report = Files.readString(wrkOut, StandardCharsets.UTF_8);
            assertThat(report).doesNotContain("Non-2xx").doesNotContain("Socket errors");
            Matcher requests = Pattern.compile("(\\d+) requests in").matcher(report);
            assertThat(requests.find()).as(report).isTrue();
            assertThat(Long.parseLong(requests.group(1))).as(report).isGreaterThan(100);
            HttpResponse<Void> after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + proxy.plainPort + "/index.html")).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(after.headers().firstValue("X-Served-8")).contains("master");
            assertThat(proxy.output().lines().filter(l -> l.contains("config reloaded") && l.contains("added third")))
                    .hasSize(4);
            await().atMost(Duration.ofSeconds(30)).until(() -> proxy.count("retired replica(s) [third]") == 4);
        }
    }

    @Test
    void sigtermLetsTenSlowRequestsFinishThenExitsZero() throws Exception {
        assumeTrue(TlsClients.curlAvailable(), "needs curl");
        install(TestCertificates.create(dir, "term", "localhost"));
        try (ProxyProcess proxy = ProxyProcess.run(config("term", "shutdown-timeout: 20s\n"))) {
            HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                inFlight.add(h1.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.plainPort
                        + "/cgi-bin/slow?ms=3000&id=" + i)).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            // 5 more on 5 streams of one HTTP/2 connection; curl, because the JDK 17 client fails
            // every stream on a GOAWAY instead of only those above its last-stream-id
            List<String> curl = new ArrayList<>(List.of("curl", "-sk", "--http2", "-Z", "--max-time", "30",
                    "-w", "%{http_version} %{http_code}\\n"));
            for (int i = 5; i < 10; i++) {
                curl.addAll(List.of("-o", "/dev/null", "https://localhost:" + proxy.tlsPort + "/cgi-bin/slow?ms=3000&id=" + i));
            }
            Process streams = new ProcessBuilder(curl).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(inflight(proxy))
                    .as("in flight; proxy output:%n%s", proxy.output()).isEqualTo(10));
            try (Socket idle = new Socket("127.0.0.1", proxy.plainPort)) {
                idle.setSoTimeout(20_000);
                assertThat(get(idle)).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("connection: close");
                proxy.signal("TERM");
                await().atMost(Duration.ofSeconds(10)).until(() -> refused(proxy.plainPort));
                // the idle keep-alive connection's next request is answered, with Connection: close
                assertThat(get(idle)).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
            }
            for (CompletableFuture<HttpResponse<String>> f : inFlight) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Served-By")).contains("master");
            }
            assertThat(streams.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(streams.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                    .isEqualTo("2 200\n".repeat(5));
            assertThat(proxy.awaitExit(Duration.ofSeconds(30))).isZero();
            assertThat(proxy.output()).contains("request(s) in flight, waiting up to 20000 ms");
        }
    }

    /** {@code inflight_requests} of the admin port's /status. */
    private static int inflight(ProxyProcess proxy) throws IOException, InterruptedException {
        String status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.adminPort() + "/status")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("\"inflight_requests\"\\s*:\\s*(\\d+)").matcher(status);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** One GET /index.html on a kept-alive socket; returns the reply head. */
    private static String get(Socket socket) throws IOException {
        socket.getOutputStream().write("GET /index.html HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        java.io.InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) b);
        }
        Matcher length = Pattern.compile("(?i)content-length: (\\d+)").matcher(head);
        assertThat(length.find()).as(head.toString()).isTrue();
        in.readNBytes(Integer.parseInt(length.group(1)));
        return head.toString();
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
