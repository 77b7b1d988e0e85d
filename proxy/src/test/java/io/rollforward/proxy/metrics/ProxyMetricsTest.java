package io.rollforward.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rollforward.proxy.exchange.DivergenceKind;
import io.rollforward.proxy.exchange.FailureCause;
import io.rollforward.proxy.exchange.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProxyMetricsTest {
    private final ProxyMetrics metrics =
            new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of("web1", "web2"));

    @AfterEach
    void close() {
        metrics.close();
    }

    private PrometheusScrape scrape() {
        return PrometheusScrape.parse(metrics.scrape());
    }

    @Test
    void everyKnownSeriesIsZeroBeforeTheFirstEvent() {
        PrometheusScrape scrape = scrape();
        for (String replica : List.of("web1", "web2")) {
            for (Outcome outcome : Outcome.values()) {
                assertThat(scrape.value("rollforward_requests_total", "served_by", replica, "outcome", outcome.tag()))
                        .isZero();
            }
            assertThat(scrape.value("rollforward_replica_up", "replica", replica)).isZero();
            assertThat(scrape.value("rollforward_replica_state_changes_total", "replica", replica, "to", "up")).isZero();
            assertThat(scrape.value("rollforward_replica_state_changes_total", "replica", replica, "to", "down")).isZero();
            assertThat(scrape.value("rollforward_replica_latency_seconds_count", "replica", replica)).isZero();
        }
        assertThat(scrape.value("rollforward_requests_total", "served_by", "none", "outcome", "failed")).isZero();
        for (FailureCause cause : FailureCause.values()) {
            for (String phase : List.of("before_head", "mid_body")) {
                assertThat(scrape.value("rollforward_rollforwards_total", "cause", cause.tag(), "phase", phase)).isZero();
            }
        }
        for (DivergenceKind kind : DivergenceKind.values()) {
            assertThat(scrape.value("rollforward_divergences_total", "kind", kind.tag())).isZero();
        }
        for (String reason : ProxyMetrics.HEARTBEAT_REJECT_REASONS) {
            assertThat(scrape.value("rollforward_heartbeat_rejected_total", "reason", reason)).isZero();
        }
        for (String reason : ProxyMetrics.CLIENT_REJECT_REASONS) {
            assertThat(scrape.value("rollforward_client_rejected_total", "reason", reason)).isZero();
        }
        for (String role : List.of("init", "standby", "active", "leaving")) {
            assertThat(scrape.value("rollforward_role", "role", role)).isZero();
        }
        assertThat(scrape.value("rollforward_role", "role", "none")).isEqualTo(1);
        for (String reason : List.of("diverged", "no_backup")) {
            assertThat(scrape.value("rollforward_uncovered_total", "reason", reason)).isZero();
        }
        assertThat(scrape.value("rollforward_splices_total")).isZero();
        assertThat(scrape.value("rollforward_quarantined_total")).isZero();
        assertThat(scrape.value("rollforward_inflight_requests")).isZero();
        assertThat(scrape.value("rollforward_vip_owned")).isZero();
    }

    @Test
    void countsExactlyWhatWasReported() {
        for (int i = 0; i < 7; i++) {
            metrics.requestCompleted("web1", Outcome.MASTER);
        }
        for (int i = 0; i < 3; i++) {
            metrics.requestCompleted("web2", Outcome.ROLLED_FORWARD);
            metrics.rolledForward(FailureCause.TIMEOUT, false);
        }
        metrics.requestCompleted(ProxyMetrics.NONE, Outcome.FAILED);
        metrics.requestCompleted(ProxyMetrics.NONE, Outcome.FAILED);
        metrics.rolledForward(FailureCause.REPLICA_DOWN, true);
        metrics.divergence(DivergenceKind.BODY);
        metrics.divergence(DivergenceKind.BODY);
        metrics.divergence(DivergenceKind.STATUS);
        metrics.uncovered(io.rollforward.proxy.exchange.UncoveredReason.DIVERGED);
        metrics.heartbeatRejected("bad_mac");
        metrics.heartbeatRejected("bad_mac");
        metrics.heartbeatRejected("replayed");
        metrics.clientRejected("header_too_large");
        metrics.vipOwned(true);
        metrics.role("active");

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value("rollforward_requests_total", "served_by", "web1", "outcome", "master")).isEqualTo(7);
        assertThat(scrape.value("rollforward_requests_total", "served_by", "web2", "outcome", "rolled_forward")).isEqualTo(3);
        assertThat(scrape.value("rollforward_requests_total", "served_by", "web2", "outcome", "master")).isZero();
        assertThat(scrape.value("rollforward_requests_total", "served_by", "none", "outcome", "failed")).isEqualTo(2);
        assertThat(scrape.value("rollforward_rollforwards_total", "cause", "timeout", "phase", "before_head")).isEqualTo(3);
        assertThat(scrape.value("rollforward_rollforwards_total", "cause", "timeout", "phase", "mid_body")).isZero();
        assertThat(scrape.value("rollforward_rollforwards_total", "cause", "replica_down", "phase", "mid_body")).isEqualTo(1);
        assertThat(scrape.value("rollforward_rollforwards_total", "cause", "reset", "phase", "before_head")).isZero();
        assertThat(scrape.value("rollforward_divergences_total", "kind", "body")).isEqualTo(2);
        assertThat(scrape.value("rollforward_divergences_total", "kind", "status")).isEqualTo(1);
        assertThat(scrape.value("rollforward_uncovered_total", "reason", "diverged")).isEqualTo(1);
        assertThat(scrape.value("rollforward_uncovered_total", "reason", "no_backup")).isZero();
        assertThat(scrape.value("rollforward_heartbeat_rejected_total", "reason", "bad_mac")).isEqualTo(2);
        assertThat(scrape.value("rollforward_heartbeat_rejected_total", "reason", "replayed")).isEqualTo(1);
        assertThat(scrape.value("rollforward_heartbeat_rejected_total", "reason", "stale")).isZero();
        assertThat(scrape.value("rollforward_client_rejected_total", "reason", "header_too_large")).isEqualTo(1);
        assertThat(scrape.value("rollforward_vip_owned")).isEqualTo(1);
        assertThat(scrape.value("rollforward_role", "role", "active")).isEqualTo(1);
        assertThat(scrape.value("rollforward_role", "role", "none")).isZero();
        assertThat(scrape.value("rollforward_role", "role", "standby")).isZero();
    }

    @Test
    void latencyIsAHistogramWithBucketsFromOneMillisecondToThirtySeconds() {
        metrics.replicaLatency("web1", Duration.ofMillis(3).toNanos());
        metrics.replicaLatency("web1", Duration.ofMillis(3).toNanos());
        metrics.replicaLatency("web1", Duration.ofMillis(700).toNanos());
        metrics.replicaLatency("web2", Duration.ofSeconds(40).toNanos());

        PrometheusScrape scrape = scrape();
        assertThat(scrape.type("rollforward_replica_latency_seconds")).isEqualTo("histogram");
        assertThat(scrape.value("rollforward_replica_latency_seconds_count", "replica", "web1")).isEqualTo(3);
        assertThat(scrape.value("rollforward_replica_latency_seconds_sum", "replica", "web1")).isCloseTo(0.706, within());
        assertThat(scrape.value("rollforward_replica_latency_seconds_bucket", "replica", "web1", "le", "0.002")).isZero();
        assertThat(scrape.value("rollforward_replica_latency_seconds_bucket", "replica", "web1", "le", "0.005")).isEqualTo(2);
        assertThat(scrape.value("rollforward_replica_latency_seconds_bucket", "replica", "web1", "le", "1.0")).isEqualTo(3);
        assertThat(scrape.value("rollforward_replica_latency_seconds_bucket", "replica", "web2", "le", "30.0")).isZero();
        assertThat(scrape.value("rollforward_replica_latency_seconds_bucket", "replica", "web2", "le", "+Inf")).isEqualTo(1);
        assertThat(scrape.find("rollforward_replica_latency_seconds_bucket", "replica", "web1"))
                .hasSize(ReplicaMeters.LATENCY_BUCKETS.length + 1);
        assertThat(scrape.value("rollforward_replica_latency_seconds_bucket", "replica", "web1", "le", "0.001")).isZero();
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }

    @Test
    void replicaStateCountsChangesButNotTheFirstReport() {
        metrics.replicaState("web1", true);   // first report: unknown -> up, not a change
        metrics.replicaState("web1", true);   // no change
        metrics.replicaState("web1", false);  // up -> down
        metrics.replicaState("web1", false);  // no change
        metrics.replicaState("web1", true);   // down -> up
        metrics.replicaState("web1", false);  // up -> down
        metrics.replicaState("web2", true);

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value("rollforward_replica_up", "replica", "web1")).isZero();
        assertThat(scrape.value("rollforward_replica_up", "replica", "web2")).isEqualTo(1);
        assertThat(scrape.value("rollforward_replica_state_changes_total", "replica", "web1", "to", "down")).isEqualTo(2);
        assertThat(scrape.value("rollforward_replica_state_changes_total", "replica", "web1", "to", "up")).isEqualTo(1);
        assertThat(scrape.value("rollforward_replica_state_changes_total", "replica", "web2", "to", "up")).isZero();
    }

    @Test
    void inflightGoesUpAndDown() {
        for (int i = 0; i < 5; i++) {
            metrics.inflightIncrement();
        }
        metrics.inflightDecrement();
        metrics.inflightDecrement();
        assertThat(scrape().value("rollforward_inflight_requests")).isEqualTo(3);
    }

    @Test
    void heartbeatLinksAppearWhenFirstReported() {
        assertThat(scrape().find("rollforward_heartbeat_link_up")).isEmpty();
        metrics.heartbeatLinkUp("node-b", "udp", true);
        metrics.heartbeatLinkUp("node-b", "serial", true);
        metrics.heartbeatLinkUp("node-b", "serial", false);

        PrometheusScrape scrape = scrape();
        assertThat(scrape.value("rollforward_heartbeat_link_up", "peer", "node-b", "link", "udp")).isEqualTo(1);
        assertThat(scrape.value("rollforward_heartbeat_link_up", "peer", "node-b", "link", "serial")).isZero();
    }

    @Test
    void unforeseenReasonsGetASeriesUpToALimitThenFoldIntoOther() {
        metrics.clientRejected("slowloris");
        metrics.clientRejected("SlowLoris");
        metrics.clientRejected("not a tag value!");
        for (int i = 0; i < ReasonCounters.MAX_EXTRA_REASONS + 5; i++) {
            metrics.heartbeatRejected("r" + i);
        }
        PrometheusScrape scrape = scrape();
        assertThat(scrape.value("rollforward_client_rejected_total", "reason", "slowloris")).isEqualTo(2);
        assertThat(scrape.value("rollforward_client_rejected_total", "reason", "other")).isEqualTo(1);
        assertThat(scrape.find("rollforward_heartbeat_rejected_total")).hasSize(
                ProxyMetrics.HEARTBEAT_REJECT_REASONS.size() + 1 + ReasonCounters.MAX_EXTRA_REASONS);
        assertThat(scrape.value("rollforward_heartbeat_rejected_total", "reason", "other")).isEqualTo(5);
    }

    @Test
    void everyRollforwardMeterHasHelpText() {
        PrometheusScrape scrape = scrape();
        assertThat(scrape.families()).filteredOn(f -> f.startsWith("rollforward_")).hasSizeGreaterThanOrEqualTo(12)
                .allSatisfy(family -> assertThat(scrape.help(family)).as("help of " + family).isNotBlank());
    }

    @Test
    void jvmProcessAndNettyAllocatorMetersAreBound() {
        assertThat(scrape().names()).contains("jvm_memory_used_bytes", "jvm_threads_live_threads",
                "process_cpu_usage", "process_uptime_seconds", "system_cpu_count",
                "netty_allocator_memory_used");
    }

    @Test
    void aFailedRequestServedByNobodyNeedsNoReplica() {
        metrics.requestCompleted("none", Outcome.FAILED);
        assertThat(scrape().value("rollforward_requests_total", "served_by", "none", "outcome", "failed")).isEqualTo(1);
    }

    @Test
    void badReplicaListsAreRefusedWithTheReason() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        assertThatThrownBy(() -> new ProxyMetrics(registry, List.of("a", "a")))
                .hasMessage("replicas: a (expected: distinct names)");
        assertThatThrownBy(() -> new ProxyMetrics(registry, List.of("none")))
                .hasMessageContaining("expected: not 'none'");
        assertThatThrownBy(() -> new ProxyMetrics(registry, List.of(" ")))
                .hasMessageContaining("expected: a non-blank name");
    }
}
