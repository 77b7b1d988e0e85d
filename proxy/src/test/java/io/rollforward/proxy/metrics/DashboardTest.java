package io.rollforward.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Grafana files under {@code grafana/} against what {@link ProxyMetrics} exposes. */
class DashboardTest {
    private static final Path DASHBOARD = DashboardMetricNames.ROLLFORWARD_DASHBOARD;
    private static final Path GRAFANA = DASHBOARD.getParent().getParent();

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sum by (served_by, outcome) (rate(x_total{instance=~\"$instance\", a=\"b{c}\"}[$__rate_interval])) | x_total",
        "histogram_quantile(0.99, sum by (replica, le) (rate(h_seconds_bucket[5m]))) | h_seconds_bucket",
        "a_total + on(instance) group_left(role) b_info | a_total,b_info",
        "sum(rate(c_total[5m])) without (pod) / ignoring (x) d_total offset 1h | c_total,d_total",
        "max_over_time(up[10m:1m]) > bool 1e3 and on() vector(1) | up",
        "label_values(rollforward_requests_total, instance) | rollforward_requests_total",
        "label_values(m_total{job=\"rollforward\"}, instance) | m_total",
        "sum(jvm_memory_max_bytes{area='heap'} > 0) * 2 | jvm_memory_max_bytes",
        "rollforward:ratio:rate5m unless nan_total | rollforward:ratio:rate5m,nan_total",
    })
    void extractsBareMetricNamesFromPromql(String promql, String expected) {
        assertThat(DashboardMetricNames.metricNames(promql)).containsExactlyInAnyOrder(expected.split(","));
    }

    @Test
    void everyMetricTheDashboardQueriesIsInTheScrape() {
        try (ProxyMetrics metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of("web1", "web2"))) {
            new RingMetrics(metrics.registry()); // the ring row: what a ring member adds to the scrape
            PrometheusScrape scrape = PrometheusScrape.parse(metrics.scrape());
            Set<String> names = DashboardMetricNames.metricNames(DASHBOARD);
            assertThat(names).contains("rollforward_requests_total", "rollforward_rollforwards_total",
                    "rollforward_replica_latency_seconds_bucket", "rollforward_divergences_total",
                    "rollforward_replica_up", "rollforward_role", "rollforward_vip_owned",
                    "rollforward_inflight_requests", "rollforward_heartbeat_rejected_total",
                    "rollforward_client_rejected_total", "jvm_memory_used_bytes", "rollforward_ring_view_size",
                    "rollforward_ring_vip_moves_total");
            assertThat(DashboardMetricNames.missingFrom(DASHBOARD, scrape)).isEmpty();
        }
    }

    @Test
    void aNameTheScrapeLacksIsReported() {
        PrometheusScrape scrape = PrometheusScrape.parse("""
                # TYPE h_seconds histogram
                h_seconds_bucket{le="+Inf"} 0
                h_seconds_count 0
                x_total 1
                """);
        assertThat(DashboardMetricNames.missingFrom(DASHBOARD, scrape)).contains("rollforward_requests_total");
    }

    @ParameterizedTest
    @CsvSource({"rollforward.json, rollforward", "rollforward-groups.json, rollforward-groups"})
    void dashboardIsImportableIntoGrafanaTen(String file, String uid) throws IOException {
        JsonNode root = new ObjectMapper().readTree(DASHBOARD.resolveSibling(file).toFile());
        assertThat(root.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(38);
        assertThat(root.path("uid").asText()).isEqualTo(uid);
        assertThat(root.path("id").isNull()).as("id must be null so import creates a new dashboard").isTrue();

        JsonNode variables = root.path("templating").path("list");
        assertThat(variables.findValuesAsText("name")).contains("datasource", "instance");
        for (JsonNode variable : variables) {
            if (variable.path("name").asText().equals("datasource")) {
                assertThat(variable.path("type").asText()).isEqualTo("datasource");
                assertThat(variable.path("query").asText()).isEqualTo("prometheus");
            }
            if (variable.path("name").asText().equals("instance")) {
                assertThat(variable.path("query").path("query").asText())
                        .isEqualTo("label_values(rollforward_requests_total, instance)");
                assertThat(variable.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            }
        }

        Set<Integer> ids = new HashSet<>();
        List<int[]> boxes = new ArrayList<>();
        Set<String> types = new HashSet<>();
        for (JsonNode panel : root.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique id " + panel.path("id")).isTrue();
            JsonNode grid = panel.path("gridPos");
            int[] box = {grid.path("x").asInt(), grid.path("y").asInt(), grid.path("w").asInt(), grid.path("h").asInt()};
            assertThat(box[0] + box[2]).as(panel.path("title").asText() + " fits 24 columns").isLessThanOrEqualTo(24);
            for (int[] other : boxes) {
                boolean overlap = box[0] < other[0] + other[2] && other[0] < box[0] + box[2]
                        && box[1] < other[1] + other[3] && other[1] < box[1] + box[3];
                assertThat(overlap).as(panel.path("title").asText() + " overlaps another panel").isFalse();
            }
            boxes.add(box);
            types.add(panel.path("type").asText());
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("title").asText()).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).isNotEmpty();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(target.path("expr").asText()).as(panel.path("title").asText())
                        .contains("instance=~\"$instance\"");
            }
        }
        assertThat(types).contains("timeseries", "state-timeline");
    }

    @Test
    void stateTimelineShowsReplicaUpAndDown() throws IOException {
        JsonNode root = new ObjectMapper().readTree(DASHBOARD.toFile());
        JsonNode timeline = null;
        for (JsonNode panel : root.path("panels")) {
            if (panel.path("type").asText().equals("state-timeline")
                    && panel.path("targets").get(0).path("expr").asText().contains("rollforward_replica_up")) {
                timeline = panel;
            }
        }
        assertThat(timeline).as("a state-timeline panel on rollforward_replica_up").isNotNull();
        JsonNode options = timeline.path("fieldConfig").path("defaults").path("mappings").get(0).path("options");
        assertThat(options.path("0").path("text").asText()).isEqualTo("DOWN");
        assertThat(options.path("1").path("text").asText()).isEqualTo("UP");
    }

    @Test
    void prometheusConfigScrapesTheAdminPortAsJobRollforward() throws IOException {
        JsonNode config = new YAMLMapper().readTree(GRAFANA.resolve("prometheus.yml").toFile());
        JsonNode job = config.path("scrape_configs").get(0);
        assertThat(job.path("job_name").asText()).isEqualTo("rollforward");
        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
        assertThat(job.path("static_configs").get(0).path("targets").get(0).asText()).isEqualTo("127.0.0.1:9901");
    }

    @Test
    void provisioningPointsAtPrometheusAndTheDashboardsFolder() throws IOException {
        YAMLMapper yaml = new YAMLMapper();
        JsonNode datasource = yaml.readTree(GRAFANA.resolve("provisioning/datasources/prometheus.yaml").toFile())
                .path("datasources").get(0);
        assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
        assertThat(datasource.path("url").asText()).isEqualTo("http://127.0.0.1:9090");
        JsonNode provider = yaml.readTree(GRAFANA.resolve("provisioning/dashboards/rollforward.yaml").toFile())
                .path("providers").get(0);
        assertThat(provider.path("type").asText()).isEqualTo("file");
        assertThat(provider.path("options").path("path").asText()).endsWith("/dashboards/rollforward");
        assertThat(Files.readString(GRAFANA.resolve("README.md"))).contains("provisioning/dashboards/rollforward.yaml");
    }
}
