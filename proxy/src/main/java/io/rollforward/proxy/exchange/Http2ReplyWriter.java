package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.rollforward.proxy.replica.ReplyHead;
import java.nio.charset.StandardCharsets;

/**
 * Writes one reply on an HTTP/2 stream channel as HTTP objects, which the stream's
 * {@code Http2StreamFrameToHttpObjectCodec} turns into HEADERS and DATA frames (flow control is
 * the stream's: its writability pauses the replica as on HTTP/1.1). HTTP/2 has no connection-level
 * headers (RFC 9113 §8.2.2): every hop-by-hop header of the replica's reply is dropped and no
 * Connection or Transfer-Encoding is added; a Content-Length is kept. Closing the stream resets
 * only that stream.
 */
final class Http2ReplyWriter implements ReplyWriter {
    private final Channel stream;
    private final boolean headRequest;
    private final AsciiString servedByHeader;
    private boolean noBody;

    Http2ReplyWriter(Channel stream, boolean headRequest, AsciiString servedByHeader) {
        this.stream = stream;
        this.headRequest = headRequest;
        this.servedByHeader = servedByHeader;
    }

    @Override
    public boolean keepAlive() {
        return true; // the stream ends with the reply; the connection is the HTTP/2 codec's
    }

    @Override
    public void head(ReplyHead head, ReplyShape shape, String servedBy) {
        int code = head.status();
        noBody = headRequest || code == 204 || code == 304;
        HttpHeaders out = new DefaultHttpHeaders(false);
        for (int i = 0; i < head.size(); i++) {
            if (!head.dropFromReply(i, servedByHeader)) {
                out.add(head.name(i), head.value(i));
            }
        }
        if (servedByHeader != null) {
            out.set(servedByHeader, servedBy);
        }
        stream.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code), out),
                stream.voidPromise());
    }

    @Override
    public void body(ByteBuf content) {
        if (noBody || !content.isReadable()) {
            content.release();
            return;
        }
        stream.write(new DefaultHttpContent(content), stream.voidPromise());
    }

    @Override
    public void flushAtReadEnd() {
        stream.flush();
    }

    @Override
    public void flush() {
        stream.flush();
    }

    @Override
    public void end(HttpHeaders trailers) {
        LastHttpContent last = trailers == null || trailers.isEmpty() ? LastHttpContent.EMPTY_LAST_CONTENT
                : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, copyOf(trailers));
        stream.writeAndFlush(last);
    }

    @Override
    public int full(HttpResponseStatus status, String line) {
        byte[] text = (status.code() + " " + status.reasonPhrase() + ": " + line + "\n").getBytes(StandardCharsets.UTF_8);
        DefaultFullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                headRequest ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(text), new DefaultHttpHeaders(false),
                EmptyHttpHeaders.INSTANCE);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .set(HttpHeaderNames.CONTENT_LENGTH, headRequest ? 0 : text.length);
        stream.writeAndFlush(r);
        return headRequest ? 0 : text.length;
    }

    @Override
    public void discard() {
    }

    private static HttpHeaders copyOf(HttpHeaders trailers) {
        HttpHeaders copy = new DefaultHttpHeaders(false);
        copy.add(trailers);
        return copy;
    }
}
