package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes queued to a client, from the write until the socket took them (or the write
 * failed), in the {@link BufferBudget}, so the splice windows give way to what slow clients have
 * not read yet. The first handler of a client connection (nearest the socket, so it sees the
 * bytes as they go out, after TLS or HTTP/2 framing):
 *
 * <pre>
 *   socket <- ClientOutboundBudget <- ConnectionLimiter <- ... (FrontInitializer)
 * </pre>
 *
 * How much one client can have queued is bounded by the write-buffer water marks: the copy
 * streaming to it is paused once more than the high mark waits, after the read in progress (see
 * docs/ARCHITECTURE.md, "Bounded memory"). Shared by every client connection: it keeps no state.
 */
@ChannelHandler.Sharable
public final class ClientOutboundBudget extends ChannelOutboundHandlerAdapter {
    private final BufferBudget budget;

    public ClientOutboundBudget(BufferBudget budget) {
        this.budget = budget;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long n = msg instanceof ByteBuf b ? b.readableBytes()
                : msg instanceof ByteBufHolder h ? h.content().readableBytes() : 0;
        if (n == 0) {
            ctx.write(msg, promise);
            return;
        }
        budget.force(n); // already in memory: the write goes ahead, the windows give way
        ChannelPromise counted = promise.unvoid();
        counted.addListener(f -> budget.release(n));
        ctx.write(msg, counted);
    }
}
