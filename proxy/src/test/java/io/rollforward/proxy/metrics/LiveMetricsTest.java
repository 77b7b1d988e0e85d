package io.rollforward.proxy.metrics;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running proxy's /metrics: a known number of requests down each path gives exactly those
 * counter values; every metric the Grafana dashboard uses is in the live scrape; and a real
 * Prometheus scraping the proxy agrees with what was sent.
 */
class LiveMetricsTest {
    @RegisterExtension
    static WireMockExtension master = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    static WireMockExtension backup = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private ProxyUnderTest proxy;

    @BeforeEach
    void start() throws Exception {
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("b")));
        backup.stubFor(any(urlPathEqualTo("/both")).willReturn(aResponse().withStatus(503)));
        master.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("m")));
        master.stubFor(any(urlPathEqualTo("/status503")).willReturn(aResponse().withStatus(503)));
        master.stubFor(any(urlPathEqualTo("/both")).willReturn(aResponse().withStatus(503)));
        master.stubFor(any(urlPathEqualTo("/reset")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        master.stubFor(any(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(1500)));
        proxy = ProxyUnderTest.start(c -> c.withEjectAfter(0).withPerRequestTimeout(Duration.ofMillis(400)),
                master.getPort(), backup.getPort());
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private void send(String path, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            proxy.get(path);
        }
    }

    private PrometheusScrape scrape() throws Exception {
        URI metrics = URI.create("http://127.0.0.1:" + proxy.proxy().adminAddress().getPort() + "/metrics");
        HttpResponse<String> r = proxy.client().send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusScrape.parse(r.body());
    }

    @Test
    void everyPathIsCountedExactly() throws Exception {
        send("/ok", 4);
        send("/status503", 3);
        send("/reset", 2);
        send("/slow", 1);
        send("/both", 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> scrape().value("rollforward_inflight_requests") == 0);
        PrometheusScrape s = scrape();
        assertThat(s.value("rollforward_requests_total", "served_by", "master", "outcome", "master")).isEqualTo(4);
        assertThat(s.value("rollforward_requests_total", "served_by", "backup", "outcome", "rolled_forward")).isEqualTo(6);
        assertThat(s.value("rollforward_requests_total", "served_by", "none", "outcome", "failed")).isEqualTo(2);
        assertThat(s.value("rollforward_rollforwards_total", "cause", "status", "phase", "before_head")).isEqualTo(5);
        assertThat(s.value("rollforward_rollforwards_total", "cause", "reset", "phase", "before_head")).isEqualTo(2);
        assertThat(s.value("rollforward_rollforwards_total", "cause", "timeout", "phase", "before_head")).isEqualTo(1);
        assertThat(s.value("rollforward_rollforwards_total", "cause", "connect", "phase", "before_head")).isZero();
        assertThat(s.value("rollforward_replica_latency_seconds_count", "replica", "backup")).isEqualTo(12);
        // the master completed 4 good, 3 + 2 fail-on-status replies; the reset and the timeout never completed
        assertThat(s.value("rollforward_replica_latency_seconds_count", "replica", "master")).isEqualTo(9);
        assertThat(s.value("rollforward_divergences_total", "kind", "body")).isEqualTo(4);
        assertThat(s.value("rollforward_replica_up", "replica", "master")).isEqualTo(1);
        assertThat(s.value("rollforward_uncovered_total", "reason", "diverged")).isZero();
        assertThat(s.value("rollforward_uncovered_total", "reason", "no_backup")).isZero();
    }

    @Test
    void everyDashboardMetricIsInTheLiveScrape() throws Exception {
        send("/ok", 1);
        // This proxy is no ring member: the ring row's meters are absent here (DashboardTest checks them).
        assertThat(DashboardMetricNames.missingFrom(DashboardMetricNames.ROLLFORWARD_DASHBOARD, scrape()))
                .allMatch(name -> name.startsWith("rollforward_ring_"));
        assertThat(DashboardMetricNames.metricNames(DashboardMetricNames.ROLLFORWARD_DASHBOARD)).hasSizeGreaterThan(8);
    }

    @Test
    void realPrometheusSeesWhatWasSent(@TempDir Path work) throws Exception {
        PrometheusProcess.assumeInstalled();
        try (PrometheusProcess prometheus = PrometheusProcess.start(work,
                List.of("127.0.0.1:" + proxy.proxy().adminAddress().getPort()))) {
            prometheus.awaitTargetsUp(Duration.ofSeconds(30));
            send("/ok", 7);
            send("/status503", 2);
            prometheus.awaitValue("sum(rollforward_requests_total)", 9, Duration.ofSeconds(30));
            prometheus.awaitValue("sum(rollforward_requests_total{outcome=\"rolled_forward\"})", 2, Duration.ofSeconds(30));
            prometheus.awaitValue("rollforward_rollforwards_total{cause=\"status\",phase=\"before_head\"}", 2, Duration.ofSeconds(30));
        }
    }
}
