package io.rollforward.proxy.front;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.rollforward.config.Limits;
import java.util.concurrent.TimeUnit;

/**
 * The client connection's pipeline:
 *
 * <pre>
 *   ConnectionLimiter -> HttpResponseEncoder -> StrictRequestDecoder -> HeaderReadTimeout
 *     -> RequestHeadValidator -> IdleClose -> BodyLimit (aggregator) -> ClientRequestReceiver
 * </pre>
 *
 * Nothing reaches an {@link io.rollforward.proxy.exchange.Exchange} before the whole request
 * passed every check: a refused request is answered and its connection closed, and no replica
 * sees a byte of it. Typed on {@link Channel} so tests and the fuzzer can run it on an
 * {@code EmbeddedChannel}.
 */
public final class FrontInitializer extends ChannelInitializer<Channel> {
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
    protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(connectionLimiter);
        // HttpServerCodec's decoder is private; the front needs its own (see StrictRequestDecoder).
        // The codec's HEAD bookkeeping is not needed: the Exchange never streams a HEAD reply.
        p.addLast(new HttpResponseEncoder());
        p.addLast(new StrictRequestDecoder(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineLength())
                .setMaxHeaderSize(limits.maxHeaderSize())
                .setMaxChunkSize(64 * 1024)));
        p.addLast(new HeaderReadTimeout(limits.headerReadTimeout().toMillis()));
        p.addLast(new RequestHeadValidator());
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
     * Netty's aggregator with {@code limits.max-request-body}: a larger body gets 413 and the
     * connection closes (with {@code Expect: 100-continue}, before the body is sent); nothing is
     * forwarded.
     */
    private static final class BodyLimit extends HttpObjectAggregator {
        private final FrontEvents events;

        BodyLimit(int max, FrontEvents events) {
            super(max, true);
            this.events = events;
        }

        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            Object response = super.newContinueResponse(start, maxContentLength, pipeline);
            if (response instanceof HttpResponse r && r.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
                events.rejected(FrontEvents.BODY_TOO_LARGE); // the aggregator answers and closes (closeOnExpectationFailed)
            }
            return response;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // Netty keeps a keep-alive connection open and skips the body; we close: the body may
            // be a smuggling attempt, and skipping it costs reading it all. The caller releases oversized.
            events.rejected(FrontEvents.BODY_TOO_LARGE);
            ErrorReplies.sendAndClose(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    "body larger than limits.max-request-body " + maxContentLength());
        }
    }
}
