package io.rollforward.proxy.schedule;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.rollforward.config.AdminConfig;
import io.rollforward.config.GroupConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.LardConfig;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.config.SchedulerKind;
import io.rollforward.config.Scheduling;
import io.rollforward.proxy.Rollforward;
import io.rollforward.proxy.metrics.DashboardMetricNames;
import io.rollforward.proxy.metrics.PrometheusScrape;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two groups of two WireMock origins behind a real proxy: the wrr split by {@code X-Served-By},
 * every request on both replicas of its group, {@code /status}, the weight call and the group
 * meters in a live scrape (with the groups dashboard's every metric name).
 */
class GroupsLiveTest {
    private static final Path GROUPS_DASHBOARD = Path.of("..", "grafana", "dashboards", "rollforward-groups.json");

    @RegisterExtension
    static WireMockExtension e1 = origin();
    @RegisterExtension
    static WireMockExtension e2 = origin();
    @RegisterExtension
    static WireMockExtension w1 = origin();
    @RegisterExtension
    static WireMockExtension w2 = origin();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ObjectMapper json = new ObjectMapper();
    private Rollforward proxy;

    static WireMockExtension origin() {
        return WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();
    }

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        for (WireMockExtension o : List.of(e1, e2, w1, w2)) {
            o.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("ok")));
            o.stubFor(any(urlPathEqualTo("/slow")).willReturn(aResponse().withStatus(200).withBody("slow")
                    .withFixedDelay(1500)));
        }
        Path token = Files.writeString(dir.resolve("token"), "t0ken");
        Files.setPosixFilePermissions(token, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        List<GroupConfig> groups = List.of(
                new GroupConfig("east", 2, List.of(replica("e1", e1), replica("e2", e2))),
                new GroupConfig("west", 1, List.of(replica("w1", w1), replica("w2", w2))));
        RollforwardConfig config = RollforwardConfig.of(HostPort.of("127.0.0.1", 0), List.of())
                .withScheduling(new Scheduling(SchedulerKind.WRR, groups, LardConfig.DEFAULT))
                .withEjectAfter(0)
                .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", 0), Optional.of(token)));
        proxy = Rollforward.start(config);
    }

    private static ReplicaConfig replica(String name, WireMockExtension origin) {
        return ReplicaConfig.of(name, HostPort.of("127.0.0.1", origin.getPort()));
    }

    @AfterEach
    void stop() {
        proxy.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + proxy.frontAddress().getPort() + path);
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminAddress().getPort() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Integer> servedBy(int requests) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = get("/page" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            counts.merge(r.headers().firstValue("X-Served-By").orElse("?"), 1, Integer::sum);
        }
        return counts;
    }

    private PrometheusScrape scrape() throws Exception {
        return PrometheusScrape.parse(admin("GET", "/metrics", null, null).body());
    }

    @Test
    void wrrSplitsByWeightAndBothReplicasOfTheGroupRunEachRequest() throws Exception {
        assertThat(servedBy(30)).isEqualTo(Map.of("e1", 20, "w1", 10));
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().value("rollforward_inflight_requests") == 0);
        assertThat(e1.getAllServeEvents()).hasSize(20);
        assertThat(e2.getAllServeEvents()).hasSize(20);
        assertThat(w1.getAllServeEvents()).hasSize(10);
        assertThat(w2.getAllServeEvents()).hasSize(10);

        PrometheusScrape s = scrape();
        assertThat(s.value("rollforward_group_requests_total", "group", "east")).isEqualTo(20);
        assertThat(s.value("rollforward_group_requests_total", "group", "west")).isEqualTo(10);
        assertThat(s.value("rollforward_group_inflight", "group", "east")).isZero();
        assertThat(s.value("rollforward_group_weight", "group", "east")).isEqualTo(2);
        assertThat(s.value("rollforward_group_in_schedule", "group", "west")).isEqualTo(1);
        assertThat(s.value("rollforward_lard_reassignments_total")).isZero();
        assertThat(DashboardMetricNames.metricNames(GROUPS_DASHBOARD)).contains("rollforward_group_requests_total",
                "rollforward_group_inflight", "rollforward_lard_reassignments_total", "rollforward_lard_table_entries");
        assertThat(DashboardMetricNames.missingFrom(GROUPS_DASHBOARD, s)).isEmpty();

        JsonNode status = json.readTree(admin("GET", "/status", null, null).body());
        assertThat(status.path("scheduler").asText()).isEqualTo("wrr");
        assertThat(status.path("groups").findValuesAsText("name")).containsExactly("east", "west");
        assertThat(status.path("groups").get(0).path("weight").asInt()).isEqualTo(2);
        assertThat(status.path("groups").get(0).path("state").asText()).isEqualTo("UP");
        assertThat(status.path("groups").get(1).path("requests").asInt()).isEqualTo(10);
    }

    @Test
    void weightZeroQuiescesWhileTheInFlightRequestFinishes() throws Exception {
        assertThat(admin("POST", "/groups/west/weight", "0", null).statusCode()).isEqualTo(401);
        assertThat(admin("POST", "/groups/south/weight", "0", "t0ken").statusCode()).isEqualTo(404);
        assertThat(admin("POST", "/groups/west/weight", "heavy", "t0ken").statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/groups/east/weight", "{\"weight\": 0}", "t0ken").statusCode()).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
            try {
                return get("/slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().value("rollforward_group_inflight", "group", "west") == 1);
        assertThat(admin("POST", "/groups/west/weight?weight=0", null, "t0ken").statusCode()).isEqualTo(200);
        assertThat(admin("POST", "/groups/east/weight", "1", "t0ken").statusCode()).isEqualTo(200);
        assertThat(json.readTree(admin("GET", "/status", null, null).body()).path("groups").get(1).path("state").asText())
                .isEqualTo("QUIESCED");
        assertThat(servedBy(5)).isEqualTo(Map.of("e1", 5)); // nothing new for west ...
        HttpResponse<String> finished = slow.get();        // ... while its in-flight request finishes
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.headers().firstValue("X-Served-By")).hasValue("w1");
        await().atMost(Duration.ofSeconds(10)).until(() -> scrape().value("rollforward_group_inflight", "group", "west") == 0);
    }
}
