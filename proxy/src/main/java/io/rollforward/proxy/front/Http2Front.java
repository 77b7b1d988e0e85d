package io.rollforward.proxy.front;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.rollforward.config.Limits;

/**
 * An HTTP/2 client connection (after ALPN picked h2). Each stream is a child channel with its own
 * pipeline, so each stream is one {@link io.rollforward.proxy.exchange.Exchange} with the checks
 * of an HTTP/1.1 request:
 *
 * <pre>
 *   connection: SslHandler -> FlushConsolidationHandler -> IdleClose -> Http2FrameCodec -> Http2MultiplexHandler
 *   each stream: Http2StreamFrameToHttpObjectCodec -> ExtensionHeaders -> RequestHeadValidator
 *                -> BodyLimit (aggregator) -> ClientRequestReceiver
 * </pre>
 *
 * Limits are announced in SETTINGS and enforced by Netty with the RFC 9113 codes: a stream over
 * {@code tls.max-concurrent-streams} is reset with REFUSED_STREAM (§5.1.2); a header list over
 * {@code limits.max-header-size} gets {@code 431} on that stream, and a far larger one a GOAWAY
 * (§6.5.2, §10.5.1). Flow control is Netty's per stream: a stream whose window is spent becomes
 * unwritable, which pauses the replica read of that exchange only.
 *
 * <p>Flushes are consolidated per connection: every stream flushes its reply when its replica's
 * read ends, and each flush reaching the {@code SslHandler} costs a TLS record and a write call.
 * {@code FlushConsolidationHandler} turns the flushes of one event-loop turn (the replies of many
 * streams, read from their replicas in the same turn) into one, at the end of the turn or, during
 * a read from the client, at its read-complete; no reply waits for another turn.
 */
final class Http2Front {
    private Http2Front() {
    }

    static void configure(ChannelPipeline p, FrontInitializer front, Limits limits, int maxConcurrentStreams) {
        p.channel().attr(FrontProtocol.HTTP2).set(true);
        p.addLast(new FlushConsolidationHandler(FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        p.addLast(new IdleClose(limits.idleTimeout().toMillis()));
        p.addLast(Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(maxConcurrentStreams)
                        .maxHeaderListSize(limits.maxHeaderSize()))
                .validateHeaders(true)
                .build());
        p.addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast(ExtensionHeaders.INSTANCE);
                front.addHttp2Stream(stream.pipeline(), limits);
            }
        }));
        front.drain().http2Started(p.channel());
    }

    /**
     * Removes the {@code x-http2-*} headers Netty's conversion adds (stream id, scheme, path):
     * they describe the client hop and must not reach the replicas.
     */
    @io.netty.channel.ChannelHandler.Sharable
    static final class ExtensionHeaders extends ChannelInboundHandlerAdapter {
        static final ExtensionHeaders INSTANCE = new ExtensionHeaders();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                for (HttpConversionUtil.ExtensionHeaderNames name : HttpConversionUtil.ExtensionHeaderNames.values()) {
                    request.headers().remove(name.text());
                }
            }
            ctx.fireChannelRead(msg);
        }
    }
}
