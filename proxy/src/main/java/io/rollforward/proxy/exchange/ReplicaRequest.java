package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;

/**
 * The request as every replica receives it: same method, origin-form target, headers and body;
 * hop-by-hop headers stripped, Content-Length framing (none for a request that had neither a body
 * nor framing: a GET reaches the replica as it came), {@code Via}, {@code X-Forwarded-For} and
 * {@code X-Forwarded-Proto} set by {@link ForwardedHeaders}, Host passed through. Built once per exchange; each replica gets
 * its own {@link FullHttpRequest} over a retained duplicate of the one body (two readers must not
 * share a reader index).
 */
final class ReplicaRequest {
    // canonical case on the wire, for people reading captures (names are case-insensitive anyway)
    private static final AsciiString HOST = AsciiString.cached("Host");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");

    private final HttpMethod method;
    private final String uri;
    private final HttpHeaders headers;
    private final ByteBuf body;

    private ReplicaRequest(HttpMethod method, String uri, HttpHeaders headers, ByteBuf body) {
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.body = body;
    }

    /**
     * Rewrites {@code client}'s headers in place for the replica hop (the exchange owns the
     * request and has read what it needs of the client hop). Does not take ownership of its body:
     * duplicates are retained per copy.
     */
    static ReplicaRequest of(FullHttpRequest client, SocketAddress clientAddress, SocketAddress localAddress,
                             ForwardedHeaders forwarded) {
        HttpHeaders h = client.headers();
        boolean framed = h.contains(HttpHeaderNames.CONTENT_LENGTH) || HttpUtil.isTransferEncodingChunked(client);
        HopByHopHeaders.strip(h);
        h.remove(HttpHeaderNames.EXPECT); // the front already answered 100-continue and read the body

        String uri = client.uri();
        if (!uri.startsWith("/") && !"*".equals(uri)) {
            // absolute-form (RFC 9112 §3.2.2): the authority replaces Host
            URI target = URI.create(uri);
            if (target.getRawAuthority() != null) {
                h.set(HOST, target.getRawAuthority());
            }
            String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
            uri = target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
        }

        if (!h.contains(HttpHeaderNames.HOST) && localAddress instanceof InetSocketAddress local) {
            // HTTP/1.0 clients may omit Host; HTTP/1.1 replicas require it (RFC 9112 §3.2)
            h.set(HOST, local.getHostString() + ":" + local.getPort());
        }

        int length = client.content().readableBytes();
        if (length > 0 || framed) {
            h.set(CONTENT_LENGTH, length);
        }

        forwarded.apply(h, client.protocolVersion(), clientAddress);
        return new ReplicaRequest(client.method(), uri, h, client.content());
    }

    HttpMethod method() {
        return method;
    }

    /** A copy for one replica; the caller owns it (writing it releases it). */
    FullHttpRequest copy() {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, body.retainedDuplicate(),
                headers, EmptyHttpHeaders.INSTANCE);
    }
}
