package io.rollforward.proxy.front;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.rollforward.config.Limits;
import java.util.concurrent.TimeUnit;

/**
 * The client connection's pipeline:
 *
 * <pre>
 *   ConnectionLimiter -> HttpServerCodec -> IdleStateHandler -> BodyLimit (aggregator)
 *                     -> ClientRequestReceiver
 * </pre>
 */
public final class FrontInitializer extends ChannelInitializer<SocketChannel> {
    private final Limits limits;
    private final ExchangeFactory exchanges;
    private final FrontEvents events;
    private final ConnectionLimiter connectionLimiter;

    public FrontInitializer(Limits limits, ExchangeFactory exchanges, FrontEvents events) {
        this.limits = limits;
        this.exchanges = exchanges;
        this.events = events;
        this.connectionLimiter = new ConnectionLimiter(limits.maxConnections(), events);
    }

    /** Client connections open now. */
    public int openConnections() {
        return connectionLimiter.open();
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(connectionLimiter);
        p.addLast(new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineLength())
                .setMaxHeaderSize(limits.maxHeaderSize())
                .setMaxChunkSize(64 * 1024)));
        p.addLast(new IdleClose(limits.idleTimeout().toMillis()));
        p.addLast(new BodyLimit((int) Math.min(Integer.MAX_VALUE, limits.maxRequestBody()), events));
        p.addLast(new ClientRequestReceiver(exchanges, events));
    }

    /** Closes a keep-alive connection that carried nothing for {@code limits.idle-timeout}. */
    private static final class IdleClose extends IdleStateHandler {
        IdleClose(long millis) {
            super(0, 0, millis, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
            ctx.close();
        }
    }

    /**
     * Netty's aggregator with {@code limits.max-request-body}: a larger body gets 413 (with
     * {@code Expect: 100-continue}, before the body is sent) and nothing is forwarded.
     */
    private static final class BodyLimit extends HttpObjectAggregator {
        private final FrontEvents events;

        BodyLimit(int max, FrontEvents events) {
            super(max, true);
            this.events = events;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            events.rejected(FrontEvents.BODY_TOO_LARGE);
            super.handleOversizedMessage(ctx, oversized);
        }
    }
}
