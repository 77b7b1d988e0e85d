package io.rollforward.proxy.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Netty's aggregator with {@code limits.max-request-body}. A declared Content-Length over the
 * limit and an unknown expectation are refused earlier by {@link RequestHeadValidator}, so the
 * 413 comes before the body even with {@code Expect: 100-continue}; a failed head gets no
 * interim response. A chunked body that outgrows the limit is handed on as a refused request,
 * so the 413 keeps its turn among pipelined replies and nothing after it is forwarded.
 */
final class BodyLimit extends HttpObjectAggregator {
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

    /**
     * The connection closed while a body was still arriving (the client left, or the proxy closed
     * after a reply that did not keep the connection alive while the client had pipelined more):
     * there is nobody to answer, so the partial request is released without the
     * PrematureChannelClosureException Netty's aggregator would send down the pipeline.
     */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseCurrentMessage();
        ctx.fireChannelInactive();
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
