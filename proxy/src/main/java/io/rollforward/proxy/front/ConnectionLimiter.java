package io.rollforward.proxy.front;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps concurrent client connections at {@code limits.max-connections}: one more gets a 503 naming
 * the limit and is closed, so the proxy degrades with a clear refusal instead of running out of
 * file descriptors or memory. Shared by every client channel.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private volatile int max;
    private final FrontEvents events;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimiter(int max, FrontEvents events) {
        this.max = max;
        this.events = events;
    }

    /** The cap from now on (reload); connections over it already open stay. */
    void max(int value) {
        max = value;
    }

    int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            events.rejected(FrontEvents.TOO_MANY_CONNECTIONS);
            ctx.pipeline().remove(this);
            open.decrementAndGet();
            // This handler sits before the HTTP encoder, so the refusal goes out as ready bytes.
            ctx.writeAndFlush(ErrorReplies.encoded(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too many connections (limits.max-connections " + max + ")")).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }
}
