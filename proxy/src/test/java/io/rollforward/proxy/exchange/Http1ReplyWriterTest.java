package io.rollforward.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client-side framing matrix of {@link Http1ReplyWriter}, as Netty's
 * {@code HttpServerKeepAliveHandlerTest} does it: client version x keep-alive x status (and HEAD)
 * x the replica's framing x whether the body ended in the read that brought it. Every case checks
 * the status line, the framing headers, the Connection header, the body on the wire, that the
 * replica's hop-by-hop headers are gone, and whether the connection stays open.
 */
class Http1ReplyWriterTest {
    enum Version { HTTP11, HTTP10 }

    enum Reply { LENGTH, CHUNKED }

    record Case(Version version, boolean keepAlive, int status, boolean head, Reply reply, boolean oneRead) {
        @Override
        public String toString() {
            return version + (keepAlive ? " keep-alive" : " close") + " " + (head ? "HEAD " : "") + status + " "
                    + reply + (oneRead ? " in one read" : " in two reads");
        }

        boolean noBody() {
            return head || status == 204 || status == 304;
        }
    }

    static Stream<Case> matrix() {
        List<Case> cases = new ArrayList<>();
        for (Version v : Version.values()) {
            for (boolean ka : new boolean[] {true, false}) {
                for (int status : new int[] {200, 404, 204, 304}) {
                    for (boolean head : new boolean[] {false, true}) {
                        for (Reply r : Reply.values()) {
                            for (boolean oneRead : new boolean[] {true, false}) {
                                if (head && status != 200) {
                                    continue;
                                }
                                cases.add(new Case(v, ka, status, head, r, oneRead));
                            }
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrix")
    void framing(Case c) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseEncoder());
        Http1ReplyWriter writer = new Http1ReplyWriter(ch, c.head(), c.keepAlive(), c.version() == Version.HTTP10,
                AsciiString.cached("X-Served-By"));
        DefaultHttpHeaders h = new DefaultHttpHeaders();
        h.add("Content-Type", "text/plain");
        h.add("Connection", "keep-alive, X-Hop");
        h.add("Keep-Alive", "timeout=5");
        h.add("X-Hop", "per-connection");
        if (c.reply() == Reply.LENGTH && c.status() != 204) {
            h.add("Content-Length", "5");
        } else if (c.reply() == Reply.CHUNKED) {
            h.add("Transfer-Encoding", "chunked");
        }
        HttpResponse reply = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(c.status()), h);
        writer.head(reply, ReplyShape.of(reply), "web1");
        if (!c.noBody()) {
            writer.body(Unpooled.copiedBuffer("he", StandardCharsets.US_ASCII));
            if (!c.oneRead()) {
                writer.flushAtReadEnd();
            }
            writer.body(Unpooled.copiedBuffer("llo", StandardCharsets.US_ASCII));
        } else if (!c.oneRead()) {
            writer.flushAtReadEnd();
        }
        writer.end(null);
        String wire = drain(ch);

        String headPart = wire.substring(0, wire.indexOf("\r\n\r\n") + 2);
        String body = wire.substring(wire.indexOf("\r\n\r\n") + 4);
        assertThat(headPart).startsWith("HTTP/1.1 " + c.status() + " ");
        assertThat(headPart).contains("X-Served-By: web1\r\n").contains("Content-Type: text/plain\r\n");
        assertThat(headPart).doesNotContainIgnoringCase("keep-alive: timeout").doesNotContain("X-Hop");

        boolean unknownLength = c.reply() == Reply.CHUNKED;
        boolean streamedChunked = !c.noBody() && unknownLength && !c.oneRead() && c.version() == Version.HTTP11;
        // HTTP/1.0 has no chunked coding: an unknown length waits for the end of the body (up to
        // 64 KiB, see below), so a small reply keeps a Content-Length and its keep-alive
        boolean keepAlive = c.keepAlive();
        if (c.noBody()) {
            assertThat(body).isEmpty();
            assertThat(headPart).doesNotContain("Transfer-Encoding");
            if (c.status() == 204) {
                assertThat(headPart).doesNotContain("Content-Length");
            }
        } else if (streamedChunked) {
            assertThat(headPart).contains("Transfer-Encoding: chunked\r\n").doesNotContain("Content-Length");
            assertThat(body).isEqualTo("2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n");
        } else {
            // a known length, or an unknown one whose body ended before it had to be sent
            assertThat(headPart).contains("Content-Length: 5\r\n").doesNotContain("Transfer-Encoding");
            assertThat(body).isEqualTo("hello");
        }
        if (!keepAlive) {
            assertThat(headPart).contains("Connection: close\r\n");
            assertThat(ch.isOpen()).as("closed after the reply").isFalse();
        } else {
            assertThat(headPart).doesNotContain("Connection: close");
            if (c.version() == Version.HTTP10) {
                assertThat(headPart).contains("Connection: keep-alive\r\n");
            }
            assertThat(ch.isOpen()).as("kept alive").isTrue();
        }
        assertFalse(ch.finishAndReleaseAll());
    }

    @org.junit.jupiter.api.Test
    void http10ClientGetsALargeReplyOfUnknownLengthCloseDelimited() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseEncoder());
        Http1ReplyWriter writer = new Http1ReplyWriter(ch, false, true, true, null);
        io.netty.handler.codec.http.HttpHeaders h = new DefaultHttpHeaders().add("Transfer-Encoding", "chunked");
        HttpResponse reply = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, h);
        writer.head(reply, ReplyShape.of(reply), "web1");
        byte[] piece = new byte[40_000];
        for (int i = 0; i < 3; i++) {
            writer.body(Unpooled.wrappedBuffer(piece));
            writer.flushAtReadEnd();
        }
        writer.end(null);
        String wire = drain(ch);
        String headPart = wire.substring(0, wire.indexOf("\r\n\r\n") + 2);
        assertThat(headPart).contains("Connection: close\r\n").doesNotContain("Content-Length").doesNotContain("chunked");
        assertThat(wire.length() - headPart.length() - 2).isEqualTo(120_000);
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @org.junit.jupiter.api.Test
    void chunkedTrailersReachAnHttp11Client() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpResponseEncoder());
        Http1ReplyWriter writer = new Http1ReplyWriter(ch, false, true, false, null);
        HttpResponse reply = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                new DefaultHttpHeaders().add("Transfer-Encoding", "chunked").add("Trailer", "X-Digest"));
        writer.head(reply, ReplyShape.of(reply), "web1");
        writer.body(Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII));
        writer.flushAtReadEnd();
        writer.end(new DefaultHttpHeaders().add("X-Digest", "sha-256=xyz"));
        assertThat(drain(ch)).endsWith("\r\n\r\n3\r\nabc\r\n0\r\nX-Digest: sha-256=xyz\r\n\r\n");
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    private static String drain(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }
}
