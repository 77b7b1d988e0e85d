package io.rollforward.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fixture against a real Apache: content, the CGIs, kill -9 and restart. */
class ApacheInstanceTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void apacheInstalled() {
        ApacheInstance.assumeAvailable();
    }

    @Test
    void servesDeterministicFilesAndNamesItself() throws Exception {
        try (ApacheInstance origin = ApacheInstance.start("alpha")) {
            HttpResponse<byte[]> oneK = get(origin, "1k.bin");
            assertThat(oneK.statusCode()).isEqualTo(200);
            assertThat(oneK.body()).isEqualTo(ApacheInstance.contentOf("1k.bin"))
                    .isEqualTo(Files.readAllBytes(origin.docRoot().resolve("1k.bin")));
            assertThat(oneK.headers().firstValue("X-Origin")).hasValue("alpha");
            assertThat(get(origin, "64k.bin").body()).isEqualTo(ApacheInstance.contentOf("64k.bin"));
            assertThat(get(origin, "big.bin").body()).hasSize(2 * 1024 * 1024);
            assertThat(new String(get(origin, ".testpage").body(), StandardCharsets.UTF_8)).isEqualTo("test page");
            assertThat(get(origin, "").statusCode()).isEqualTo(200);
            assertThat(origin.baseUri().toString()).isEqualTo("http://127.0.0.1:" + origin.port() + "/");
        }
    }

    @Test
    void slowCgiTakesAtLeastTheRequestedTime() throws Exception {
        try (ApacheInstance origin = ApacheInstance.start("slowpoke")) {
            long started = System.nanoTime();
            HttpResponse<byte[]> reply = get(origin, "cgi-bin/slow?ms=300&id=r17");
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            System.out.println("slow?ms=300 took " + tookMs + " ms");
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(tookMs).isGreaterThanOrEqualTo(300);
            assertThat(reply.headers().firstValue("X-Req-Id")).hasValue("r17");
            assertThat(reply.headers().firstValue("X-Origin")).hasValue("slowpoke");
            assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("slept 300 ms\n");
        }
    }

    @Test
    void echoReturnsAndLogsExactlyWhatWasPosted() throws Exception {
        try (ApacheInstance origin = ApacheInstance.start("echo")) {
            byte[] body = new byte[70_000];
            for (int i = 0; i < body.length; i++) {
                body[i] = (byte) (i * 7);
            }
            HttpRequest post = HttpRequest.newBuilder(origin.baseUri().resolve("cgi-bin/echo?x=1"))
                    .header("X-Test-Case", "echo-1").header("Content-Type", "application/x-test")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<byte[]> reply = client.send(post, HttpResponse.BodyHandlers.ofByteArray());

            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            assertThat(reply.statusCode()).isEqualTo(200);
            assertThat(reply.body()).isEqualTo(body);
            assertThat(reply.headers().firstValue("X-Echo-Method")).hasValue("POST");
            assertThat(reply.headers().firstValue("X-Echo-Uri")).hasValue("/cgi-bin/echo?x=1");
            assertThat(reply.headers().firstValue("X-Echo-x-test-case")).hasValue("echo-1");
            assertThat(reply.headers().firstValue("X-Echo-Content-Type")).hasValue("application/x-test");
            assertThat(reply.headers().firstValue("X-Echo-Body-Sha256")).hasValue(sha);
            assertThat(reply.headers().firstValue("X-Origin")).hasValue("echo");

            HttpResponse<byte[]> failing = client.send(
                    HttpRequest.newBuilder(origin.baseUri().resolve("cgi-bin/echo?status=503"))
                            .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(failing.statusCode()).isEqualTo(503);

            assertThat(origin.echoedRequests()).containsExactly(
                    new EchoedRequest("POST", "/cgi-bin/echo?x=1", body.length, sha),
                    new EchoedRequest("POST", "/cgi-bin/echo?status=503", 1,
                            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                    .digest("x".getBytes(StandardCharsets.US_ASCII)))));
        }
    }

    @Test
    void killHardRefusesAndRestartServesOnTheSamePort() throws Exception {
        Path root;
        try (ApacheInstance origin = ApacheInstance.start("victim")) {
            root = origin.docRoot().getParent();
            assertThat(get(origin, "1k.bin").statusCode()).isEqualTo(200);
            long apachePid = Long.parseLong(Files.readString(root.resolve("run/apache2.pid")).trim());
            int port = origin.port();

            origin.killHard();

            assertThat(origin.isRunning()).isFalse();
            assertThat(ProcessHandle.of(apachePid).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                }
            }).isInstanceOf(ConnectException.class);
            assertThatThrownBy(() -> get(origin, "1k.bin")).isInstanceOf(IOException.class);

            origin.restart();

            assertThat(origin.port()).isEqualTo(port);
            HttpResponse<byte[]> again = get(origin, "1k.bin");
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(again.body()).isEqualTo(ApacheInstance.contentOf("1k.bin"));
        }
        assertThat(root).doesNotExist();
    }

    @Test
    void twoInstancesRunSideBySide() throws Exception {
        try (ApacheInstance master = ApacheInstance.start("master");
             ApacheInstance backup = ApacheInstance.start("backup")) {
            assertThat(master.port()).isNotEqualTo(backup.port());
            assertThat(get(master, "cgi-bin/slow?ms=0").headers().firstValue("X-Origin")).hasValue("master");
            assertThat(get(backup, "cgi-bin/slow?ms=0").headers().firstValue("X-Origin")).hasValue("backup");
            master.stop();
            assertThat(master.isRunning()).isFalse();
            assertThat(get(backup, ".testpage").statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<byte[]> get(ApacheInstance origin, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(origin.baseUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
