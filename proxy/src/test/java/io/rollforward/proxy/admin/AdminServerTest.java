package io.rollforward.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.rollforward.config.AdminConfig;
import io.rollforward.config.HostPort;
import io.rollforward.proxy.metrics.ProxyMetrics;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin port over a real loopback socket, with the JDK's HTTP client. */
class AdminServerTest {
    @TempDir
    Path dir;

    private EventLoopGroup group;
    private ProxyMetrics metrics;
    private final AdminRequestHandlerTest.RecordingActions actions = new AdminRequestHandlerTest.RecordingActions();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeEach
    void start() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of("web1"));
    }

    @AfterEach
    void stop() {
        metrics.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Path token(String token) throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, token);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesOverLoopbackAndStopsListeningOnClose() throws Exception {
        AdminConfig config = new AdminConfig(HostPort.of("127.0.0.1", 0), Optional.of(token("t0ken\n")));
        URI base;
        try (AdminServer admin = new AdminServer(config, metrics, () -> Map.of("role", "standby"), actions)) {
            InetSocketAddress bound = admin.start(group, NioServerSocketChannel.class);
            assertThat(bound.getAddress().isLoopbackAddress()).isTrue();
            base = URI.create("http://127.0.0.1:" + bound.getPort());

            HttpResponse<String> scrape = send(HttpRequest.newBuilder(base.resolve("/metrics")));
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(scrape.body()).contains("rollforward_requests_total{outcome=\"master\",served_by=\"web1\"} 0");

            assertThat(send(HttpRequest.newBuilder(base.resolve("/status"))).body()).contains("\"standby\"");
            assertThat(send(HttpRequest.newBuilder(base.resolve("/healthz"))).body()).isEqualTo("ok\n");

            HttpResponse<String> unauthorized = send(HttpRequest.newBuilder(base.resolve("/drain"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            HttpResponse<String> drained = send(HttpRequest.newBuilder(base.resolve("/drain"))
                    .header("Authorization", "Bearer t0ken").POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(drained.statusCode()).isEqualTo(200);
            assertThat(actions.calls).containsExactly("drain");
            assertThatThrownBy(() -> admin.start(group, NioServerSocketChannel.class))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> send(HttpRequest.newBuilder(base.resolve("/healthz"))))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void aBusyPortIsAClearError() {
        AdminConfig any = new AdminConfig(HostPort.of("127.0.0.1", 0), Optional.empty());
        try (AdminServer first = new AdminServer(any, metrics, Map::of, actions)) {
            int port = first.start(group, NioServerSocketChannel.class).getPort();
            AdminConfig same = new AdminConfig(HostPort.of("127.0.0.1", port), Optional.empty());
            try (AdminServer second = new AdminServer(same, metrics, Map::of, actions)) {
                assertThatThrownBy(() -> second.start(group, NioServerSocketChannel.class))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageStartingWith("admin.listen: 127.0.0.1:" + port + ": cannot bind");
            }
        }
    }

    @Test
    void aWorldReadableTokenFileStopsTheServerFromStarting() throws IOException {
        Path file = token("t0ken");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        AdminConfig config = new AdminConfig(HostPort.of("127.0.0.1", 0), Optional.of(file));
        assertThatThrownBy(() -> new AdminServer(config, metrics, Map::of, actions))
                .hasMessageContaining("admin.token-file: " + file + " is readable by others");
    }
}
