package io.rollforward.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rollforward.proxy.exchange.ExchangeSummary;
import io.rollforward.proxy.exchange.FailureCause;
import io.rollforward.proxy.exchange.Outcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The two line formats, field by field, and the escaping of what a client controls. */
class AccessLogLineTest {
    private static final long T = Instant.parse("2026-12-01T09:48:39.123Z").toEpochMilli();

    private static final ExchangeSummary ROLLED_FORWARD = new ExchangeSummary("GET", "/a?b=1", "HTTP/1.1", "192.0.2.7",
            null, "curl/8.5.0", 200, 1234, "web2", Outcome.ROLLED_FORWARD, FailureCause.TIMEOUT, null, T, 5_003_140_000L);

    @Test
    void combinedIsApachesFormatThenServedByOutcomeCauseDuration() {
        assertThat(AccessLogLine.combined(ROLLED_FORWARD)).isEqualTo("192.0.2.7 - - [01/Dec/2026:09:48:39 +0000] "
                + "\"GET /a?b=1 HTTP/1.1\" 200 1234 \"-\" \"curl/8.5.0\" "
                + "served_by=web2 outcome=rolled_forward cause=timeout duration_ms=5003.1");
    }

    @Test
    void combinedEscapesQuotesBackslashesAndControlCharacters() {
        ExchangeSummary s = new ExchangeSummary("GET", "/", "HTTP/1.0", "::1", "http://x/\"q\"", "a\\b\u0001",
                502, 80, "none", Outcome.FAILED, FailureCause.RESET, "master: reset; backup: reset", T, 1_000_000L);
        assertThat(AccessLogLine.combined(s)).contains("\"GET / HTTP/1.0\" 502 80 \"http://x/\\\"q\\\"\" \"a\\\\b\\x01\" ")
                .endsWith("served_by=none outcome=failed cause=reset duration_ms=1.0");
    }

    @Test
    void jsonHasEveryFieldOnOneLine() throws Exception {
        String line = AccessLogLine.json(ROLLED_FORWARD);
        assertThat(line).doesNotContain("\n");
        JsonNode j = new ObjectMapper().readTree(line);
        assertThat(j.get("time").asText()).isEqualTo("2026-12-01T09:48:39.123Z");
        assertThat(j.get("client").asText()).isEqualTo("192.0.2.7");
        assertThat(j.get("method").asText()).isEqualTo("GET");
        assertThat(j.get("target").asText()).isEqualTo("/a?b=1");
        assertThat(j.get("protocol").asText()).isEqualTo("HTTP/1.1");
        assertThat(j.get("status").asInt()).isEqualTo(200);
        assertThat(j.get("bytes").asLong()).isEqualTo(1234);
        assertThat(j.get("referer").isNull()).isTrue();
        assertThat(j.get("user_agent").asText()).isEqualTo("curl/8.5.0");
        assertThat(j.get("served_by").asText()).isEqualTo("web2");
        assertThat(j.get("outcome").asText()).isEqualTo("rolled_forward");
        assertThat(j.get("cause").asText()).isEqualTo("timeout");
        assertThat(j.get("duration_ms").asDouble()).isEqualTo(5003.1);
    }
}
