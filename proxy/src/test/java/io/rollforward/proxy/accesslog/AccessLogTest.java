package io.rollforward.proxy.accesslog;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.rollforward.config.AccessLogConfig;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The access log of a real proxy in front of two WireMock origins: one line per request with what
 * the client got, in both formats; and the WARN line for a 502 the proxy answered itself.
 */
class AccessLogTest {
    @RegisterExtension
    static WireMockExtension master = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    static WireMockExtension backup = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    private ProxyUnderTest proxy;

    @BeforeEach
    void origins() {
        master.stubFor(get(urlPathEqualTo("/ok")).willReturn(aResponse().withStatus(200).withBody("from master")));
        backup.stubFor(get(urlPathEqualTo("/ok")).willReturn(aResponse().withStatus(200).withBody("from backup")));
        master.stubFor(get(urlPathEqualTo("/busy")).willReturn(aResponse().withStatus(503).withBody("busy")));
        backup.stubFor(get(urlPathEqualTo("/busy")).willReturn(aResponse().withStatus(200).withBody("backup!")));
        master.stubFor(get(urlPathEqualTo("/broken")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        backup.stubFor(get(urlPathEqualTo("/broken")).willReturn(aResponse().withStatus(503).withBody("down")));
        warnings.start();
        ((Logger) LoggerFactory.getLogger(OwnErrorWarnings.class)).addAppender(warnings);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(OwnErrorWarnings.class)).detachAppender(warnings);
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Sends the three requests, stops the proxy (which writes out the queue) and returns the file's lines. */
    private List<String> threeRequests(AccessLogConfig.Format format) throws Exception {
        Path file = dir.resolve("access.log");
        proxy = ProxyUnderTest.start(c -> c.withAccessLog(new AccessLogConfig(Optional.of(file), false, format)),
                master.getPort(), backup.getPort());
        for (String path : List.of("/ok", "/busy?x=1", "/broken")) {
            HttpResponse<String> r = proxy.client().send(HttpRequest.newBuilder(proxy.uri(path))
                    .header("User-Agent", "edge-test/1 \"quoted\"").header("Referer", "http://r.test/")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isIn(200, 502);
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> proxy.proxy().inflight().size() == 0);
        proxy.close();
        proxy = null;
        return Files.readAllLines(file);
    }

    @Test
    void combinedLinesSayWhatEachClientGot() throws Exception {
        List<String> lines = threeRequests(AccessLogConfig.Format.COMBINED);
        assertThat(lines).hasSize(3);
        String prefix = "^127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] ";
        String agent = " \"http://r.test/\" \"edge-test/1 \\\\\"quoted\\\\\"\" ";
        assertThat(lines.get(0)).matches(prefix + "\"GET /ok HTTP/1.1\" 200 11" + agent
                + "served_by=master outcome=master cause=- duration_ms=\\d+\\.\\d$");
        assertThat(lines.get(1)).matches(prefix + "\"GET /busy\\?x=1 HTTP/1.1\" 200 7" + agent
                + "served_by=backup outcome=rolled_forward cause=status duration_ms=\\d+\\.\\d$");
        assertThat(lines.get(2)).matches(prefix + "\"GET /broken HTTP/1.1\" 502 \\d+" + agent
                + "served_by=none outcome=failed cause=reset duration_ms=\\d+\\.\\d$");
    }

    @Test
    void jsonLinesCarryTheSameFields() throws Exception {
        List<String> lines = threeRequests(AccessLogConfig.Format.JSON);
        assertThat(lines).hasSize(3);
        ObjectMapper json = new ObjectMapper();
        JsonNode ok = json.readTree(lines.get(0));
        assertThat(ok.get("client").asText()).isEqualTo("127.0.0.1");
        assertThat(ok.get("target").asText()).isEqualTo("/ok");
        assertThat(ok.get("status").asInt()).isEqualTo(200);
        assertThat(ok.get("bytes").asLong()).isEqualTo(11);
        assertThat(ok.get("served_by").asText()).isEqualTo("master");
        assertThat(ok.get("cause").isNull()).isTrue();
        assertThat(ok.get("user_agent").asText()).isEqualTo("edge-test/1 \"quoted\"");
        JsonNode rolled = json.readTree(lines.get(1));
        assertThat(rolled.get("outcome").asText()).isEqualTo("rolled_forward");
        assertThat(rolled.get("cause").asText()).isEqualTo("status");
        assertThat(rolled.get("served_by").asText()).isEqualTo("backup");
        JsonNode failed = json.readTree(lines.get(2));
        assertThat(failed.get("status").asInt()).isEqualTo(502);
        assertThat(failed.get("outcome").asText()).isEqualTo("failed");
        assertThat(failed.get("duration_ms").asDouble()).isGreaterThan(0.0);
    }

    @Test
    void theProxysOwn502IsLoggedAtWarnWithEachReplicasCause() throws Exception {
        threeRequests(AccessLogConfig.Format.COMBINED);
        assertThat(warnings.list).hasSize(1);
        ILoggingEvent warn = warnings.list.get(0);
        assertThat(warn.getLevel()).hasToString("WARN");
        assertThat(warn.getFormattedMessage()).startsWith("502 for GET /broken from 127.0.0.1: ")
                .contains("master: reset").contains("backup: status (status 503)");
    }
}
