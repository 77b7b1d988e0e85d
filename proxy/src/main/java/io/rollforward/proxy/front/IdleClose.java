package io.rollforward.proxy.front;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Closes a keep-alive connection that carried nothing for {@code limits.idle-timeout}. */
final class IdleClose extends IdleStateHandler {
    IdleClose(long millis) {
        super(0, 0, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.close();
    }
}
