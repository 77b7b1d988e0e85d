package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AsciiString;
import io.rollforward.proxy.http.HeadBytes;
import io.rollforward.proxy.replica.ReplyHead;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes one reply to an HTTP/1.1 (or 1.0) client as bytes: the chosen replica's head with the
 * proxy's few edits, then its body buffers as they arrive, framed for the client's hop. It owns
 * framing and keep-alive, nothing else:
 *
 * <pre>
 * reply                                     client HTTP/1.1                client HTTP/1.0
 * HEAD request, 1xx, 204, 304               no body (204: no Content-Length)  same
 * Content-Length N                          Content-Length N, body as is      same
 * chunked, or close-delimited               chunked (trailers kept)           close-delimited, Connection: close
 * client asked to close, or went away       Connection: close                 no keep-alive
 * </pre>
 * The head of a reply of unknown length (chunked or close-delimited) waits for its first body
 * bytes and the end of the socket read that brought them: if the whole body came by then (the
 * common case for small replies, even from servers that write head and body separately), it goes
 * out with a Content-Length, so HTTP/1.0 and simple clients keep their connection; otherwise the
 * head and what arrived go out chunked at once and the rest streams. A client waits for the body
 * anyway, so the held head delays nothing it could use (an event stream's first event goes out
 * the moment it arrives); at most {@value #MAX_DEFERRED} bytes are held. For an HTTP/1.0 client,
 * which has no chunked coding, the head waits for the end of the body up to that bound, so a
 * small reply keeps its keep-alive connection and a larger one is close-delimited.
 *
 * <p>Hop-by-hop headers of the replica's hop are dropped (RFC 9110 §7.6.1); {@code X-Served-By}
 * names the replica. Bytes bypass Netty's {@link HttpResponseEncoder} (which still encodes the
 * front's own error replies): they are written from the encoder's context, toward the socket.
 */
final class Http1ReplyWriter implements ReplyWriter {
    private enum Framing { NONE, LENGTH, CHUNKED, CLOSE }

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n'};
    private static final byte[] COLON_SP = {':', ' '};
    private static final byte[] CHUNKED = "Transfer-Encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "Connection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEEP_ALIVE = "Connection: keep-alive\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS_PREFIX = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);

    private final Channel client;
    private final ChannelOutboundInvoker out;
    private final boolean headRequest;
    private final boolean clientKeepAlive;
    private final boolean http10;
    private final AsciiString servedByHeader;
    private static final int MAX_DEFERRED = 64 * 1024;
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.US_ASCII);

    private Framing framing;
    private boolean keepAlive;
    /** The head of an unknown-length reply, not yet written, and the body that arrived with it. */
    private ReplyHead deferredHead;
    private String deferredServedBy;
    private io.netty.buffer.CompositeByteBuf deferredBody;

    Http1ReplyWriter(Channel client, boolean headRequest, boolean clientKeepAlive, boolean http10,
                     AsciiString servedByHeader) {
        this.client = client;
        ChannelHandlerContext encoder = client.pipeline().context(HttpResponseEncoder.class);
        this.out = encoder != null ? encoder : client;
        this.headRequest = headRequest;
        this.clientKeepAlive = clientKeepAlive;
        this.http10 = http10;
        this.servedByHeader = servedByHeader;
    }

    /** The proxy is stopping: this reply tells the client to close (the front closes after it anyway). */
    private static boolean draining(Channel client) {
        return io.rollforward.proxy.front.FrontProtocol.isDraining(client);
    }

    /** Whether the connection stays open after this reply (known once the head is written). */
    @Override
    public boolean keepAlive() {
        return keepAlive;
    }

    /** {@link #head(ReplyHead, ReplyShape, String)} of an HTTP object's head. */
    void head(HttpResponse head, ReplyShape shape, String servedBy) {
        head(ReplyHead.of(head, headRequest), shape, servedBy);
    }

    /** Writes {@code head} (not flushed), or holds it until {@link #flush()} for an unknown length. */
    @Override
    public void head(ReplyHead head, ReplyShape shape, String servedBy) {
        int code = head.status();
        boolean noBody = headRequest || code == 204 || code == 304 || code < 200;
        if (noBody) {
            framing = Framing.NONE;
        } else if (shape.contentLength() >= 0) {
            framing = Framing.LENGTH;
        } else {
            deferredHead = head;
            deferredServedBy = servedBy;
            deferredBody = client.alloc().compositeBuffer(16);
            return;
        }
        writeHead(head, servedBy, -1);
    }

    /** The deferred head goes out now, chunked (or close-delimited), with what arrived so far. */
    private void releaseDeferred() {
        ReplyHead head = deferredHead;
        io.netty.buffer.CompositeByteBuf body = deferredBody;
        deferredHead = null;
        deferredBody = null;
        framing = http10 ? Framing.CLOSE : Framing.CHUNKED;
        writeHead(head, deferredServedBy, -1);
        body(body);
    }

    private void writeHead(ReplyHead head, String servedBy, long contentLength) {
        keepAlive = clientKeepAlive && framing != Framing.CLOSE && client.isActive() && !draining(client);

        HeadBytes buf = HeadBytes.start().bytes(STATUS_PREFIX);
        head.writeStatusText(buf);
        buf.crlf();
        // the replica's field lines as received (ISO-8859-1, obs-text kept), minus the hop's own
        head.writeKeptLines(buf, servedByHeader, contentLength >= 0 ? HttpHeaderNames.CONTENT_LENGTH : null);
        if (framing == Framing.CHUNKED) {
            buf.bytes(CHUNKED);
        } else if (contentLength >= 0) {
            buf.bytes(CONTENT_LENGTH).decimal(contentLength).crlf();
        }
        if (!keepAlive) {
            buf.bytes(CLOSE);
        } else if (http10) {
            buf.bytes(KEEP_ALIVE);
        }
        if (servedByHeader != null) {
            buf.field(servedByHeader, servedBy);
        }
        buf.crlf();
        out.write(buf.toBuffer(client.alloc()), out.voidPromise());
    }

    /** Writes a piece of the body (ownership passes here; not flushed). */
    @Override
    public void body(ByteBuf content) {
        if (deferredHead != null) {
            deferredBody.addComponent(true, content);
            if (deferredBody.readableBytes() > MAX_DEFERRED) {
                releaseDeferred();
            }
            return;
        }
        int n = content.readableBytes();
        if (framing == Framing.NONE || n == 0) {
            content.release();
            return;
        }
        if (framing == Framing.CHUNKED) {
            ByteBuf size = client.alloc().buffer(10);
            ByteBufUtil.writeAscii(size, Integer.toHexString(n));
            size.writeBytes(CRLF);
            out.write(size, out.voidPromise());
            out.write(content, out.voidPromise());
            out.write(Unpooled.wrappedBuffer(CRLF), out.voidPromise());
        } else {
            out.write(content, out.voidPromise());
        }
    }

    /**
     * The end of a read of the source: flushes, unless an unknown-length head is still waiting for
     * its first body bytes.
     */
    @Override
    public void flushAtReadEnd() {
        if (deferredHead == null) {
            out.flush();
        } else if (deferredBody.isReadable() && !http10) {
            flush();
        }
        // HTTP/1.0 has no chunked coding: a Content-Length (keep-alive) if the body ends within
        // MAX_DEFERRED bytes, else close-delimited
    }

    /** Flushes what was written; a deferred head goes out first. */
    @Override
    public void flush() {
        if (deferredHead != null) {
            releaseDeferred();
        }
        out.flush();
    }

    /** The client went away: drop what is held. */
    @Override
    public void discard() {
        if (deferredBody != null) {
            deferredBody.release();
            deferredBody = null;
            deferredHead = null;
        }
    }

    /** Ends the body (last chunk and {@code trailers} when chunked), flushes, closes unless kept alive. */
    @Override
    public void end(HttpHeaders trailers) {
        if (deferredHead != null) {
            // the whole body came with its head: one Content-Length reply (trailers are dropped)
            framing = Framing.LENGTH;
            io.netty.buffer.CompositeByteBuf body = deferredBody;
            deferredBody = null;
            writeHead(deferredHead, deferredServedBy, body.readableBytes());
            deferredHead = null;
            out.write(body, out.voidPromise());
        }
        if (framing == Framing.CHUNKED) {
            ByteBuf last = client.alloc().buffer(5 + (trailers == null ? 0 : 40 * trailers.size()));
            last.writeBytes(LAST_CHUNK);
            if (trailers != null) {
                Iterator<Map.Entry<CharSequence, CharSequence>> it = trailers.iteratorCharSequence();
                while (it.hasNext()) {
                    Map.Entry<CharSequence, CharSequence> h = it.next();
                    ByteBufUtil.writeAscii(last, h.getKey());
                    last.writeBytes(COLON_SP);
                    ByteBufUtil.writeAscii(last, h.getValue());
                    last.writeBytes(CRLF);
                }
            }
            last.writeBytes(CRLF);
            out.writeAndFlush(last).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        } else if (keepAlive) {
            out.flush(); // a failed write closes the channel itself (auto-close): no promise to listen on
        } else {
            out.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The proxy's own plain-text reply ({@code status} and one line), complete. */
    @Override
    public int full(HttpResponseStatus status, String line) {
        byte[] text = (status.code() + " " + status.reasonPhrase() + ": " + line + "\n").getBytes(StandardCharsets.UTF_8);
        keepAlive = clientKeepAlive && client.isActive() && !draining(client);
        StringBuilder head = new StringBuilder(160).append("HTTP/1.1 ").append(status.code()).append(' ')
                .append(status.reasonPhrase()).append("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ")
                .append(headRequest ? 0 : text.length).append("\r\n");
        if (!keepAlive) {
            head.append("Connection: close\r\n");
        } else if (http10) {
            head.append("Connection: keep-alive\r\n");
        }
        head.append("\r\n");
        ByteBuf buf = Unpooled.wrappedBuffer(head.toString().getBytes(StandardCharsets.US_ASCII));
        if (!headRequest) {
            buf = Unpooled.wrappedBuffer(buf, Unpooled.wrappedBuffer(text));
        }
        out.writeAndFlush(buf).addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        return headRequest ? 0 : text.length;
    }
}
