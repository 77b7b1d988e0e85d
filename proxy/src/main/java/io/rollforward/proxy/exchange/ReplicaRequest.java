package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import io.rollforward.proxy.http.HeadBytes;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Iterator;
import java.util.Map;

/**
 * The request as every replica receives it: same method, origin-form target, headers and body;
 * hop-by-hop headers stripped, Content-Length framing (none for a request that had neither a body
 * nor framing: a GET reaches the replica as it came), {@code Via}, {@code X-Forwarded-For} and
 * {@code X-Forwarded-Proto} set by {@link ForwardedHeaders}, Host passed through. Built and encoded
 * once per exchange; each replica writes a retained duplicate of the same bytes (two readers must
 * not share a reader index).
 */
final class ReplicaRequest {
    // canonical case on the wire, for people reading captures (names are case-insensitive anyway)
    private static final AsciiString HOST = AsciiString.cached("Host");
    private static final AsciiString CONTENT_LENGTH = AsciiString.cached("Content-Length");

    private static final byte[] HTTP11_CRLF = " HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

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
                             ForwardedHeaders forwarded, String scheme) {
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

        forwarded.apply(h, client.protocolVersion(), clientAddress, scheme);
        return new ReplicaRequest(client.method(), uri, h, client.content());
    }

    HttpMethod method() {
        return method;
    }

    boolean isHead() {
        return HttpMethod.HEAD.equals(method);
    }

    /**
     * The request as bytes, encoded once for every replica: the request line and headers in one
     * buffer, then the body shared (retained, not copied). Each replica writes a
     * {@code retainedDuplicate()} of it; the caller owns the result.
     */
    ByteBuf encode(ByteBufAllocator alloc) {
        HeadBytes h = HeadBytes.start().ascii(method.asciiName()).ascii(" ").ascii(uri).bytes(HTTP11_CRLF);
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = it.next();
            h.field(field.getKey(), field.getValue()); // ISO-8859-1 as received (obs-text kept)
        }
        ByteBuf head = h.crlf().toBuffer(alloc);
        if (!body.isReadable()) {
            return head;
        }
        return alloc.compositeBuffer(2).addComponents(true, head, body.retainedDuplicate());
    }
}
