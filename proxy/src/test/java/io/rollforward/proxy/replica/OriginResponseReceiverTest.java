package io.rollforward.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The replica side of a connection: replies read from the bytes reach the attached sink whole,
 * however the socket splits them (every split point of a few replies is tried), bad ones are
 * refused, and nothing leaks.
 */
class OriginResponseReceiverTest {
    private static final class RecordingSink implements ResponseSink {
        final List<String> events = new ArrayList<>();
        final StringBuilder body = new StringBuilder();
        ReplyHead head;

        @Override
        public void onHead(ReplyHead h) {
            head = h;
            events.add("head " + h.status());
        }

        @Override
        public void onBody(ByteBuf piece) {
            body.append(piece.toString(StandardCharsets.ISO_8859_1));
            piece.release();
        }

        @Override
        public void onEnd(HttpHeaders trailers) {
            events.add(trailers == null ? "end" : "end " + trailers.get("X-Digest"));
        }

        @Override
        public void onBroken(Throwable cause) {
            events.add("broken " + cause.getClass().getSimpleName());
        }

        @Override
        public void onBadHead(Throwable cause, boolean tooLarge) {
            events.add("bad head" + (tooLarge ? " too large" : ""));
        }
    }

    private static EmbeddedChannel channel(OriginResponseReceiver receiver) {
        return new EmbeddedChannel(receiver);
    }

    private static OriginResponseReceiver receiver() {
        return new OriginResponseReceiver(8192, 1024);
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    static Stream<Arguments> replies() {
        return Stream.of(
                Arguments.of("length", false, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello",
                        List.of("head 200", "end"), "hello"),
                Arguments.of("chunked with extensions and trailers", false,
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nhel\r\n2\r\nlo\r\n0\r\nX-Digest: abc\r\n\r\n",
                        List.of("head 200", "end abc"), "hello"),
                Arguments.of("interim 100 and 103 first", false,
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"
                                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
                        List.of("head 200", "end"), "hello"),
                Arguments.of("HEAD reply with a Content-Length", true, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n",
                        List.of("head 200", "end"), ""),
                Arguments.of("304 with a length, bare LF lines", false, "HTTP/1.1 304 Not Modified\nContent-Length: 9\n\n",
                        List.of("head 304", "end"), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("replies")
    void everySplitPointGivesTheSameReply(String name, boolean headRequest, String wire, List<String> events, String body) {
        for (int split = 0; split <= wire.length(); split++) {
            OriginResponseReceiver receiver = receiver();
            RecordingSink sink = new RecordingSink();
            receiver.attach(sink, headRequest);
            EmbeddedChannel ch = channel(receiver);
            ch.writeInbound(ascii(wire.substring(0, split)));
            ch.writeInbound(ascii(wire.substring(split)));
            assertThat(sink.events).as("split at %d", split).isEqualTo(events);
            assertThat(sink.body).as("split at %d", split).hasToString(body);
            assertThat(receiver.attached()).as("detached after the end").isFalse();
            assertThat(ch.isOpen()).as("kept open for the next request").isTrue();
            assertFalse(ch.finishAndReleaseAll());
        }
    }

    @Test
    void aByteAtATimeChunkedReplyArrivesWhole() {
        String wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        OriginResponseReceiver receiver = receiver();
        RecordingSink sink = new RecordingSink();
        receiver.attach(sink, false);
        EmbeddedChannel ch = channel(receiver);
        for (char c : wire.toCharArray()) {
            ch.writeInbound(ascii(String.valueOf(c)));
        }
        assertThat(sink.events).containsExactly("head 200", "end");
        assertThat(sink.body).hasToString("hello world");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void aCloseDelimitedBodyEndsWithTheConnection() {
        OriginResponseReceiver receiver = receiver();
        RecordingSink sink = new RecordingSink();
        receiver.attach(sink, false);
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(ascii("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of"));
        ch.writeInbound(ascii(" it"));
        assertThat(sink.head.keepAlive()).isFalse();
        ch.close();
        assertThat(sink.events).containsExactly("head 200", "end");
        assertThat(sink.body).hasToString("all of it");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void closeBeforeTheEndIsReportedAsBroken() {
        OriginResponseReceiver receiver = receiver();
        RecordingSink sink = new RecordingSink();
        receiver.attach(sink, false);
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(ascii("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhalf"));
        ch.close();
        assertThat(sink.events).containsExactly("head 200", "broken ClosedChannelException");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void closeInsideAHeadIsBroken() {
        OriginResponseReceiver receiver = receiver();
        RecordingSink sink = new RecordingSink();
        receiver.attach(sink, false);
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(ascii("HTTP/1.1 200 OK\r\nContent-Le"));
        ch.close();
        assertThat(sink.events).containsExactly("broken ClosedChannelException");
        assertFalse(ch.finishAndReleaseAll());
    }

    static Stream<Arguments> badReplies() {
        return Stream.of(
                Arguments.of("obs-fold", "HTTP/1.1 200 OK\r\nX-A: b\r\n c\r\nContent-Length: 0\r\n\r\n", "bad head"),
                Arguments.of("space before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n", "bad head"),
                Arguments.of("not HTTP", "SSH-2.0-OpenSSH_9.2\r\n\r\n", "bad head"),
                Arguments.of("101 unasked", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", "bad head"),
                Arguments.of("gzip transfer-coding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", "bad head"),
                Arguments.of("differing lengths", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", "bad head"),
                Arguments.of("NUL in a value", "HTTP/1.1 200 OK\r\nX-A: a\0b\r\n\r\n", "bad head"),
                Arguments.of("fields over the limit", "HTTP/1.1 200 OK\r\nX-A: " + "a".repeat(2000) + "\r\n\r\n",
                        "bad head too large"),
                Arguments.of("fields over the limit, no end yet", "HTTP/1.1 200 OK\r\nX-A: " + "a".repeat(2000),
                        "bad head too large"),
                Arguments.of("status line over the limit", "HTTP/1.1 200 " + "O".repeat(9000), "bad head too large"),
                Arguments.of("bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                        "head 200,broken MalformedReplyException"),
                Arguments.of("no CRLF after chunk data", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc",
                        "head 200,broken MalformedReplyException"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badReplies")
    void badRepliesAreRefusedAndTheConnectionClosed(String name, String wire, String expected) {
        OriginResponseReceiver receiver = receiver();
        RecordingSink sink = new RecordingSink();
        receiver.attach(sink, false);
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(ascii(wire));
        assertThat(String.join(",", sink.events)).isEqualTo(expected);
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void dataOnAnIdlePooledConnectionClosesIt() {
        OriginResponseReceiver receiver = receiver();
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void bytesAfterTheReplyCloseTheConnection() {
        OriginResponseReceiver receiver = receiver();
        RecordingSink sink = new RecordingSink();
        receiver.attach(sink, false);
        EmbeddedChannel ch = channel(receiver);
        ch.writeInbound(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n"));
        assertThat(sink.events).containsExactly("head 200", "end");
        assertThat(sink.body).hasToString("ok");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }
}
