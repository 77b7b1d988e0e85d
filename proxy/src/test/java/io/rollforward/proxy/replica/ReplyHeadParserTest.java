package io.rollforward.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import io.rollforward.proxy.http.HeadBytes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The reply-head parser's table: framing x version x Connection x status (and HEAD), the fields
 * dropped from the client's hop, and the heads it refuses.
 */
class ReplyHeadParserTest {
    private static ReplyHead parse(String head, boolean headRequest) {
        return ReplyHeadParser.parse(head.getBytes(StandardCharsets.ISO_8859_1), headRequest);
    }

    static Stream<Arguments> framings() {
        return Stream.of(
                // head, HEAD request, framing, length, replica keeps the connection
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n", false, ReplyHead.Framing.LENGTH, 12L, true),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 12, 12\r\n\r\n", false, ReplyHead.Framing.LENGTH, 12L, true),
                Arguments.of("HTTP/1.1 200 OK\r\ncontent-length:0\r\n\r\n", false, ReplyHead.Framing.LENGTH, 0L, true),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", false, ReplyHead.Framing.CHUNKED, -1L, true),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\nContent-Length: 5\r\n\r\n", false,
                        ReplyHead.Framing.CHUNKED, -1L, true),
                Arguments.of("HTTP/1.1 200 OK\r\n\r\n", false, ReplyHead.Framing.CLOSE, -1L, false),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\n", false,
                        ReplyHead.Framing.LENGTH, 3L, false),
                Arguments.of("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n", false, ReplyHead.Framing.LENGTH, 3L, false),
                Arguments.of("HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: Keep-Alive\r\n\r\n", false,
                        ReplyHead.Framing.LENGTH, 3L, true),
                Arguments.of("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", true, ReplyHead.Framing.NONE, -1L, true),
                Arguments.of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", true, ReplyHead.Framing.NONE, -1L, true),
                Arguments.of("HTTP/1.1 204 No Content\r\n\r\n", false, ReplyHead.Framing.NONE, -1L, true),
                Arguments.of("HTTP/1.1 304 Not Modified\r\nContent-Length: 40\r\n\r\n", false, ReplyHead.Framing.NONE, -1L, true),
                Arguments.of("HTTP/1.1 100 Continue\r\n\r\n", false, ReplyHead.Framing.NONE, -1L, true),
                Arguments.of("HTTP/1.1 404\r\nContent-Length: 1\r\n\r\n", false, ReplyHead.Framing.LENGTH, 1L, true));
    }

    @ParameterizedTest(name = "{0} head={1}")
    @MethodSource("framings")
    void framing(String head, boolean headRequest, ReplyHead.Framing framing, long length, boolean keepAlive) {
        ReplyHead h = parse(head, headRequest);
        assertThat(h.framing()).isEqualTo(framing);
        assertThat(h.contentLength()).isEqualTo(length);
        assertThat(h.keepAlive()).isEqualTo(keepAlive);
    }

    @Test
    void theClientsHeadKeepsTheLinesAsReceivedMinusTheHopByHopOnes() {
        ReplyHead h = parse("HTTP/1.1 200 Fine Thanks\r\nDate: x\r\nConnection: keep-alive, X-Hop\r\nKeep-Alive: timeout=5\r\n"
                + "X-Hop: per-connection\r\nX-Served-By: web9\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n"
                + "Set-Cookie: a=b;  Path=/ \r\nx-bare: lf\nContent-Type: text/plain\r\n\r\n", false);
        assertThat(written(out -> {
            h.writeStatusText(out);
            out.ascii("|");
            h.writeKeptLines(out, AsciiString.cached("x-served-by"), null);
        })).isEqualTo("200 Fine Thanks|Date: x\r\n"
                + "Set-Cookie: a=b;  Path=/ \r\nx-bare: lf\r\nContent-Type: text/plain\r\n");
        assertThat(h.values("set-cookie")).containsExactly("a=b;  Path=/");
        assertThat(h.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain");
    }

    @Test
    void aLengthCanBeDroppedOnRequestAndA204NeverCarriesOne() {
        ReplyHead h = parse("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\nX-A: 1\r\n\r\n", false);
        assertThat(written(out -> h.writeKeptLines(out, null, null))).isEqualTo("X-A: 1\r\n");
        ReplyHead g = parse("HTTP/1.1 200 OK\r\nContent-Length: 7\r\nX-A: 1\r\n\r\n", false);
        assertThat(written(out -> g.writeKeptLines(out, null, HttpHeaderNames.CONTENT_LENGTH))).isEqualTo("X-A: 1\r\n");
    }

    @Test
    void aStatusWithoutReasonKeepsItsSpace() {
        assertThat(written(parse("HTTP/1.1 404\r\n\r\n", false)::writeStatusText)).isEqualTo("404 ");
    }

    /** What {@code writer} writes to a head, as text. */
    private static String written(Consumer<HeadBytes> writer) {
        HeadBytes out = HeadBytes.start();
        writer.accept(out);
        ByteBuf buf = out.toBuffer(UnpooledByteBufAllocator.DEFAULT);
        try {
            return buf.toString(StandardCharsets.ISO_8859_1);
        } finally {
            buf.release();
        }
    }

    static Stream<String> refused() {
        return Stream.of(
                "HTTP/2 200 OK\r\n\r\n",
                "HTTP/1.1 20 OK\r\n\r\n",
                "HTTP/1.1 099 Odd\r\n\r\n",
                "HTTP/1.1 2000 OK\r\n\r\n",
                "HTTP/1.1 101 Switching Protocols\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: b\r\n\tfolded\r\n\r\n",
                "HTTP/1.1 200 OK\r\n folded-first: x\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX A: b\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A : b\r\n\r\n",
                "HTTP/1.1 200 OK\r\n: b\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: a\rb\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: a\u0001b\r\n\r\n",
                "HTTP/1.1 200 OK\r\nX-A: a\u007fb\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, identity\r\n\r\n");
    }

    @ParameterizedTest
    @MethodSource("refused")
    void malformedHeadsAreRefused(String head) {
        assertThatThrownBy(() -> parse(head, false)).isInstanceOf(MalformedReplyException.class)
                .satisfies(e -> assertThat(((MalformedReplyException) e).tooLarge()).isFalse());
    }

    @Test
    void obsTextInAValueIsKept() {
        ReplyHead h = parse("HTTP/1.1 200 OK\r\nX-Name: caf\u00e9\r\nContent-Length: 0\r\n\r\n", false);
        assertThat(h.values("X-Name")).isEqualTo(List.of("caf\u00e9"));
    }

    @Test
    void theHeadsEndIsFoundAcrossReadsAndItsLimitsHold() {
        ReplyHeadParser parser = new ReplyHeadParser(64, 40);
        ByteBuf in = Unpooled.buffer();
        in.writeCharSequence("HTTP/1.1 200 OK\r\nX-A: 1\r\n", StandardCharsets.ISO_8859_1);
        assertThat(parser.headLength(in)).isEqualTo(-1);
        in.writeCharSequence("\r", StandardCharsets.ISO_8859_1);
        assertThat(parser.headLength(in)).isEqualTo(-1);
        in.writeCharSequence("\nbody", StandardCharsets.ISO_8859_1);
        assertThat(parser.headLength(in)).isEqualTo(27);
        assertThat(parser.parse(in, 27, false).size()).isEqualTo(1);
        assertThat(in.toString(StandardCharsets.ISO_8859_1)).isEqualTo("body");
        in.clear().writeCharSequence("HTTP/1.1 200 OK\r\nX-A: " + "a".repeat(40), StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> parser.headLength(in)).isInstanceOf(MalformedReplyException.class)
                .satisfies(e -> assertThat(((MalformedReplyException) e).tooLarge()).isTrue());
        in.release();
    }
}
