package io.rollforward.proxy.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import io.rollforward.config.Limits;
import io.rollforward.proxy.front.FrontEvents;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What Netty 4.2.18's decoder plus the front's own checks make of bad input, on the real front
 * pipeline in an EmbeddedChannel: the status the client gets, the reason it is counted under, and
 * that the connection is closed. Requests that pass reach an Exchange, whose replicas (a closed
 * port) all fail: a 502 shows a request was let through.
 */
class FrontPipelineTest {
    private static final Limits LIMITS = new Limits(1024, 2048, 512, 8L << 20, Duration.ofSeconds(10),
            Duration.ofSeconds(60), 100, 4, Duration.ofSeconds(4), Duration.ofSeconds(2));

    private final FrontFixture front = new FrontFixture(LIMITS);

    @AfterEach
    void close() {
        front.close();
    }

    static Stream<Arguments> refused() {
        String h = "Host: x\r\n";
        return Stream.of(
                Arguments.of("malformed request line", "GARBAGE\r\n\r\n", 400, FrontEvents.BAD_REQUEST),
                Arguments.of("bare LF line ends", "GET / HTTP/1.1\nHost: x\n\n", 400, FrontEvents.BAD_REQUEST),
                Arguments.of("space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400, FrontEvents.BAD_REQUEST),
                Arguments.of("unknown version", "GET / HTTP/2.0\r\n" + h + "\r\n", 505, FrontEvents.BAD_REQUEST),
                Arguments.of("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", 400, FrontEvents.BAD_REQUEST),
                Arguments.of("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, FrontEvents.BAD_REQUEST),
                Arguments.of("absolute-form ftp", "GET ftp://x/a HTTP/1.1\r\n" + h + "\r\n", 400, FrontEvents.BAD_REQUEST),
                Arguments.of("absolute-form unparsable", "GET http://x/%zz HTTP/1.1\r\n" + h + "\r\n", 400, FrontEvents.BAD_REQUEST),
                Arguments.of("CONNECT", "CONNECT x:443 HTTP/1.1\r\n" + h + "\r\n", 400, FrontEvents.BAD_REQUEST),
                Arguments.of("WebSocket upgrade", "GET /ws HTTP/1.1\r\n" + h + "Connection: Upgrade\r\nUpgrade: websocket\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", 501, FrontEvents.UPGRADE),
                Arguments.of("asterisk for GET", "GET * HTTP/1.1\r\n" + h + "\r\n", 400, FrontEvents.BAD_REQUEST),
                Arguments.of("request line too long", "GET /" + "a".repeat(600) + " HTTP/1.1\r\n" + h + "\r\n", 414, FrontEvents.URI_TOO_LONG),
                Arguments.of("header section too large", "GET / HTTP/1.1\r\n" + h + "X-A: " + "b".repeat(3000) + "\r\n\r\n", 431, FrontEvents.HEADER_TOO_LARGE),
                Arguments.of("Content-Length and Transfer-Encoding",
                        "POST / HTTP/1.1\r\n" + h + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400, FrontEvents.FRAMING),
                Arguments.of("differing duplicate Content-Length",
                        "POST / HTTP/1.1\r\n" + h + "Content-Length: 5\r\nContent-Length: 3\r\n\r\nabcde", 400, FrontEvents.FRAMING),
                Arguments.of("Content-Length list", "POST / HTTP/1.1\r\n" + h + "Content-Length: 3, 5\r\n\r\nabc", 400, FrontEvents.FRAMING),
                Arguments.of("negative Content-Length", "POST / HTTP/1.1\r\n" + h + "Content-Length: -3\r\n\r\nabc", 400, FrontEvents.FRAMING),
                Arguments.of("Transfer-Encoding in HTTP/1.0",
                        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 400, FrontEvents.FRAMING),
                Arguments.of("chunked not last", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked, gzip\r\n\r\n", 400, FrontEvents.FRAMING),
                Arguments.of("invalid chunk size", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n", 400, FrontEvents.FRAMING),
                Arguments.of("chunk size overflow", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nabc\r\n0\r\n\r\n", 400, FrontEvents.FRAMING),
                Arguments.of("chunk data not CRLF-terminated", "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcXX0\r\n\r\n", 400, FrontEvents.FRAMING),
                Arguments.of("chunk extension longer than a line",
                        "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n3;" + "e".repeat(600) + "\r\nabc\r\n0\r\n\r\n", 400, FrontEvents.FRAMING),
                Arguments.of("many chunk extensions",
                        "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n" + ("1;e=" + "v".repeat(400) + "\r\nx\r\n").repeat(20) + "0\r\n\r\n",
                        400, FrontEvents.FRAMING),
                Arguments.of("obs-fold with SP", "GET / HTTP/1.1\r\n" + h + "X-A: one\r\n two\r\n\r\n", 400, FrontEvents.OBS_FOLD),
                Arguments.of("obs-fold with HTAB", "GET / HTTP/1.1\r\n" + h + "X-A: one\r\n\ttwo\r\n\r\n", 400, FrontEvents.OBS_FOLD),
                Arguments.of("unknown expectation", "POST / HTTP/1.1\r\n" + h + "Content-Length: 3\r\nExpect: 100-cont.1\r\n\r\nabc", 417, FrontEvents.BAD_REQUEST),
                Arguments.of("body over max-request-body", "POST / HTTP/1.1\r\n" + h + "Content-Length: 2000\r\n\r\n", 413, FrontEvents.BODY_TOO_LARGE),
                Arguments.of("chunked body over max-request-body",
                        "POST / HTTP/1.1\r\n" + h + "Transfer-Encoding: chunked\r\n\r\n" + "200\r\n" + "z".repeat(512) + "\r\n" + "300\r\n" + "z".repeat(768) + "\r\n0\r\n\r\n",
                        413, FrontEvents.BODY_TOO_LARGE));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refused")
    void refusedWithStatusReasonAndClose(String name, String input, int status, String reason) {
        EmbeddedChannel ch = front.channel();
        FrontFixture.send(ch, input);
        ch.runPendingTasks();
        List<HttpResponses.Response> out = HttpResponses.parse(FrontFixture.written(ch));
        assertThat(out).as(name).hasSize(1);
        assertThat(out.get(0).status()).as(name).isEqualTo(status);
        assertThat(out.get(0).header("Connection")).isEqualToIgnoringCase("close");
        assertThat(front.rejected).containsExactly(reason);
        assertThat(ch.isOpen()).as("closed after the reply").isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("plain GET", "GET /a?b=c HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n"),
                Arguments.of("absolute-form", "GET http://example.test:8080/a?b HTTP/1.1\r\nHost: other\r\n\r\n"),
                Arguments.of("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("leading empty line", "\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"),
                Arguments.of("value with inner spaces", "GET / HTTP/1.1\r\nHost: x\r\nX-A: one two\r\n\r\n"),
                Arguments.of("short chunk extensions",
                        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "1;a=b\r\nx\r\n".repeat(50) + "0\r\n\r\n"),
                Arguments.of("one-byte chunks", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + "1\r\nx\r\n".repeat(900) + "0\r\n\r\n"),
                Arguments.of("body with CRLF SP", "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\nab\r\n cdef"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptedReachesTheReplicas(String name, String input) {
        EmbeddedChannel ch = front.channel();
        FrontFixture.send(ch, input);
        ch.runPendingTasks();
        List<HttpResponses.Response> out = HttpResponses.parse(FrontFixture.written(ch));
        assertThat(out).as(name).hasSize(1);
        assertThat(out.get(0).status()).as(name).isEqualTo(502);
        assertThat(out.get(0).body()).startsWith("502 Bad Gateway: every replica failed");
        assertThat(front.rejected).isEmpty();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void expectContinueOverTheLimitGets413BeforeTheBody() {
        EmbeddedChannel ch = front.channel();
        FrontFixture.send(ch, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
        List<HttpResponses.Response> out = HttpResponses.parse(FrontFixture.written(ch));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).status()).isEqualTo(413);
        assertThat(front.rejected).containsExactly(FrontEvents.BODY_TOO_LARGE);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void expectContinueWithinTheLimitGets100() {
        EmbeddedChannel ch = front.channel();
        FrontFixture.send(ch, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        List<HttpResponses.Response> out = HttpResponses.parse(FrontFixture.written(ch));
        assertThat(out).extracting(HttpResponses.Response::status).containsExactly(100);
        FrontFixture.send(ch, "hello");
        ch.runPendingTasks();
        assertThat(HttpResponses.parse(FrontFixture.written(ch))).extracting(HttpResponses.Response::status).containsExactly(502);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void slowHeadGets408AfterTheHeaderReadTimeout() {
        EmbeddedChannel ch = front.channel();
        ch.freezeTime();
        FrontFixture.send(ch, "GET / HTTP/1.1\r\nHo");
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(FrontFixture.written(ch)).isEmpty();
        FrontFixture.send(ch, "st: x\r\n");
        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        List<HttpResponses.Response> out = HttpResponses.parse(FrontFixture.written(ch));
        assertThat(out).extracting(HttpResponses.Response::status).containsExactly(408);
        assertThat(front.rejected).containsExactly(FrontEvents.HEADER_TIMEOUT);
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void pipelinedRefusalWaitsForTheReplyBeforeIt() {
        EmbeddedChannel ch = front.channel();
        FrontFixture.send(ch, "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n");
        ch.runPendingTasks();
        List<HttpResponses.Response> out = HttpResponses.parse(FrontFixture.written(ch));
        assertThat(out).extracting(HttpResponses.Response::status).containsExactly(502, 400);
        assertThat(front.rejected).containsExactly(FrontEvents.OBS_FOLD);
        assertFalse(ch.finishAndReleaseAll());
    }
}
