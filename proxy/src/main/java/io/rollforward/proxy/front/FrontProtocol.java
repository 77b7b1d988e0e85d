package io.rollforward.proxy.front;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.AttributeKey;

/**
 * What kind of client connection a channel handed to an
 * {@link io.rollforward.proxy.exchange.Exchange} is. An HTTP/2 request arrives on its own stream
 * channel (a child of the connection): the Exchange writes {@code HttpResponse}/{@code HttpContent}
 * objects there and closing it resets only that stream. An HTTP/1.1 channel carries encoded bytes
 * and its requests one after another.
 */
public final class FrontProtocol {
    static final AttributeKey<Boolean> TLS = AttributeKey.valueOf(FrontProtocol.class, "tls");
    static final AttributeKey<Boolean> HTTP2 = AttributeKey.valueOf(FrontProtocol.class, "http2");
    static final AttributeKey<Boolean> DRAINING = AttributeKey.valueOf(FrontProtocol.class, "draining");

    private FrontProtocol() {
    }

    /** True for an HTTP/2 stream channel (and for the HTTP/2 connection it belongs to). */
    public static boolean isHttp2(Channel channel) {
        return channel instanceof Http2StreamChannel || Boolean.TRUE.equals(channel.attr(HTTP2).get());
    }

    /** True when the client reached the proxy over TLS (X-Forwarded-Proto: https). */
    public static boolean isTls(Channel channel) {
        Channel connection = channel instanceof Http2StreamChannel ? channel.parent() : channel;
        return Boolean.TRUE.equals(connection.attr(TLS).get());
    }

    /**
     * True once the proxy is stopping: a reply on this HTTP/1.1 connection should say
     * {@code Connection: close} (the front closes the connection after it in any case).
     */
    public static boolean isDraining(Channel channel) {
        return Boolean.TRUE.equals(connection(channel).attr(DRAINING).get());
    }

    /** The connection of a stream channel, else the channel itself. */
    static Channel connection(Channel channel) {
        return channel instanceof Http2StreamChannel ? channel.parent() : channel;
    }
}
