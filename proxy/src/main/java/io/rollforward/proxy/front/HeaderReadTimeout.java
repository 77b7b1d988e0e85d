package io.rollforward.proxy.front;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the time a client may take to send a request head ({@code limits.header-read-timeout}),
 * from the connection's start or from the first byte of each later request: a slowloris client
 * that trickles header bytes gets 408 instead of holding the connection for ever. The wait for
 * the next request on a keep-alive connection is bounded by the idle timeout instead, like
 * nginx's {@code client_header_timeout} and {@code keepalive_timeout}.
 *
 * <pre>
 *   StrictRequestDecoder -> HeaderReadTimeout -> ... -> ClientRequestReceiver
 * </pre>
 *
 * On expiry it fires {@link #EXPIRED} down the pipeline; {@link ClientRequestReceiver} answers.
 */
final class HeaderReadTimeout extends ChannelInboundHandlerAdapter {
    /** The user event fired when a request head did not arrive in time. */
    static final Object EXPIRED = Expired.INSTANCE;

    enum Expired { INSTANCE }

    private final long millis;
    private ScheduledFuture<?> timer;

    HeaderReadTimeout(long millis) {
        this.millis = millis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive() && ctx.channel().isRegistered()) {
            arm(ctx);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == StrictRequestDecoder.HEAD_STARTED) {
            arm(ctx);
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            cancel();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    private void arm(ChannelHandlerContext ctx) {
        if (timer == null && millis > 0) {
            timer = ctx.executor().schedule(() -> {
                timer = null;
                ctx.fireUserEventTriggered(EXPIRED);
            }, millis, TimeUnit.MILLISECONDS);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
