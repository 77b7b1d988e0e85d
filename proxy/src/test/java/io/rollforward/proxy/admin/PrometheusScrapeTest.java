package io.rollforward.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.rollforward.config.AdminConfig;
import io.rollforward.config.HostPort;
import io.rollforward.proxy.exchange.Outcome;
import io.rollforward.proxy.metrics.DashboardMetricNames;
import io.rollforward.proxy.metrics.PrometheusProcess;
import io.rollforward.proxy.metrics.ProxyMetrics;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Prometheus scrapes a real {@link AdminServer} on loopback and sees the counted values. */
class PrometheusScrapeTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    /** The app's side of the admin port is not under test here. */
    private static final AdminActions NO_ACTIONS = new AdminActions() {
        @Override
        public CompletionStage<AdminResult> drain() {
            return CompletableFuture.completedFuture(AdminResult.conflict("not in this test"));
        }

        @Override
        public CompletionStage<AdminResult> failover() {
            return drain();
        }

        @Override
        public CompletionStage<AdminResult> rejoin(String replica) {
            return drain();
        }

        @Override
        public boolean draining() {
            return false;
        }
    };

    @Test
    void prometheusSeesExactlyTheCountedRequestsAndEveryDashboardQueryRuns() throws Exception {
        PrometheusProcess.assumeInstalled();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ProxyMetrics metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                     List.of("web1", "web2"));
             AdminServer admin = new AdminServer(new AdminConfig(HostPort.of("127.0.0.1", 0), Optional.empty()),
                     metrics, () -> Map.of("role", "none"), NO_ACTIONS)) {
            InetSocketAddress bound = admin.start(group, NioServerSocketChannel.class);
            String target = "127.0.0.1:" + bound.getPort();
            try (PrometheusProcess prometheus = PrometheusProcess.start(dir, List.of(target))) {
                prometheus.awaitTargetsUp(PATIENCE);

                for (int i = 0; i < 17; i++) {
                    metrics.requestCompleted("web1", Outcome.MASTER);
                }
                for (int i = 0; i < 4; i++) {
                    metrics.requestCompleted("web2", Outcome.ROLLED_FORWARD);
                    metrics.replicaLatency("web2", Duration.ofMillis(12).toNanos());
                }
                metrics.replicaState("web1", true);

                prometheus.awaitValue("rollforward_requests_total{served_by=\"web1\",outcome=\"master\"}", 17, PATIENCE);
                prometheus.awaitValue("rollforward_requests_total{served_by=\"web2\",outcome=\"rolled_forward\"}", 4, PATIENCE);
                prometheus.awaitValue("rollforward_replica_latency_seconds_count{replica=\"web2\"}", 4, PATIENCE);
                prometheus.awaitValue("rollforward_replica_latency_seconds_bucket{replica=\"web2\",le=\"0.025\"}", 4, PATIENCE);
                prometheus.awaitValue("rollforward_replica_up{replica=\"web1\"}", 1, PATIENCE);
                assertThat(prometheus.value("rollforward_requests_total{served_by=\"none\",outcome=\"failed\"}"))
                        .hasValue(0);

                // The dashboard's instance variable finds this proxy.
                assertThat(prometheus.labelValues("instance", "rollforward_requests_total")).contains(target);

                // Every dashboard expression is valid PromQL for this Prometheus, and the request
                // rate (needs two scrapes inside the window) has the series the panel plots.
                List<String> expressions = DashboardMetricNames.expressions(DashboardMetricNames.ROLLFORWARD_DASHBOARD);
                assertThat(expressions).hasSizeGreaterThan(10);
                for (String expr : expressions) {
                    if (!expr.startsWith("label_values(")) {
                        prometheus.query(asPrometheusQuery(expr));
                    }
                }
                String requestPanel = expressions.stream().filter(e -> e.contains("rollforward_requests_total")
                        && e.startsWith("sum by (served_by, outcome)")).findFirst().orElseThrow();
                await("request rate has series").atMost(PATIENCE).until(() -> {
                    JsonNode result = prometheus.query(asPrometheusQuery(requestPanel)).path("result");
                    return result.size() == 3 * 3;  // (web1, web2, none) x (master, rolled_forward, failed)
                });
            }
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Fills in the Grafana variables the way Grafana would for "All" over a 1 s scrape interval. */
    private static String asPrometheusQuery(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$instance", ".*");
    }
}
