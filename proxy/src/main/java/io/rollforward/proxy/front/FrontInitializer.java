package io.rollforward.proxy.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
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
 *     -> RequestHeadValidator -> ViaLoopCheck -> IdleClose -> BodyLimit (aggregator) -> ClientRequestReceiver
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
    private final String nodeName;

    /** A front whose loop check looks for {@code Via: ... rollforward} (tests of other rows). */
    public FrontInitializer(Limits limits, ExchangeFactory exchanges, FrontEvents events) {
        this(limits, exchanges, events, "rollforward");
    }

    /** @param nodeName this proxy's name in {@code Via}: a request carrying it is a loop */
    public FrontInitializer(Limits limits, ExchangeFactory exchanges, FrontEvents events, String nodeName) {
        this.nodeName = nodeName;
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
        p.addLast(new RequestHeadValidator(limits.maxRequestBody()));
        p.addLast(new ViaLoopCheck(nodeName));
        p.addLast(new IdleClose(limits.idleTimeout().toMillis()));
        p.addLast(new BodyLimit((int) Math.min(Integer.MAX_VALUE, limits.maxRequestBody())));
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
     * Netty's aggregator with {@code limits.max-request-body}. A declared Content-Length over the
     * limit and an unknown expectation are refused earlier by {@link RequestHeadValidator}, so the
     * 413 comes before the body even with {@code Expect: 100-continue}; a failed head gets no
     * interim response. A chunked body that outgrows the limit is handed on as a refused request,
     * so the 413 keeps its turn among pipelined replies and nothing after it is forwarded.
     */
    private static final class BodyLimit extends HttpObjectAggregator {
        private boolean framed;

        BodyLimit(int max) {
            super(max, true);
        }

        @Override
        protected FullHttpMessage beginAggregation(HttpMessage start, ByteBuf content) throws Exception {
            framed = HttpUtil.isContentLengthSet(start) || HttpUtil.isTransferEncodingChunked(start);
            return super.beginAggregation(start, content);
        }

        /**
         * Netty adds {@code Content-Length} to every aggregated message; a request that came with
         * neither a body nor framing (a plain GET) must reach the replicas as it came, without
         * {@code Content-Length: 0}.
         */
        @Override
        protected void finishAggregation(FullHttpMessage aggregated) throws Exception {
            if (framed || aggregated.content().isReadable()) {
                super.finishAggregation(aggregated);
            }
        }

        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            return start.decoderResult().isSuccess() ? super.newContinueResponse(start, maxContentLength, pipeline) : null;
        }

        @Override
        protected boolean isContentLengthInvalid(HttpMessage start, int maxContentLength) {
            return start.decoderResult().isSuccess() && super.isContentLengthInvalid(start, maxContentLength);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // the caller releases oversized
            FullHttpRequest refused = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", Unpooled.EMPTY_BUFFER);
            refused.setDecoderResult(DecoderResult.failure(new FrontRejection(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                    FrontEvents.BODY_TOO_LARGE, "body larger than limits.max-request-body " + maxContentLength())));
            ctx.fireChannelRead(refused);
        }
    }
}
