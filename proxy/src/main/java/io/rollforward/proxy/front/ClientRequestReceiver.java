package io.rollforward.proxy.front;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.ContentLengthNotAllowedException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import io.netty.util.ReferenceCountUtil;
import io.rollforward.proxy.exchange.ClientReply;
import io.rollforward.proxy.exchange.Exchange;
import io.rollforward.proxy.ordering.WriteQueueFull;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Turns each whole client request into an {@link Exchange}, one at a time per connection so
 * replies leave in request order (pipelined requests wait in a short queue; past
 * {@value #MAX_PIPELINED} the connection stops reading until the queue drains).
 *
 * <p>A reply goes out as soon as its source answered, while the other copies (a slower or
 * staggered backup) may still run; the connection's next request may start then, but no more than
 * {@value #MAX_LAGGING} exchanges of one connection may have copies still running after their
 * reply. Past that the next request waits (in the queue) for the oldest to end, so a backup that is
 * slower than its master falls behind by a bounded number of requests, not by a growing pile of
 * copies and connections, and stays close to in step for a roll-forward.
 *
 * <pre>
 *   client socket -> StrictRequestDecoder -> ... -> BodyLimit (aggregator) -> ClientRequestReceiver -> Exchange
 * </pre>
 *
 * A request the decoder or a validator refused gets its error reply (400; 414 for a request line
 * too long, 431 for a header section too large, or the status of its {@link FrontRejection}) in
 * its turn among pipelined requests, and the connection closes; nothing is forwarded. A request
 * head that does not arrive within the header-read timeout gets 408.
 *
 * <p>On an HTTP/2 stream channel the receiver sees the stream's one request (converted by
 * {@code Http2StreamFrameToHttpObjectCodec}) and works the same way; its writability is the
 * stream's own (flow-control window and buffer), so a slow stream pauses only its own replica.
 */
final class ClientRequestReceiver extends ChannelInboundHandlerAdapter implements ClientReply {
    static final int MAX_PIPELINED = 16;
    /** Replied exchanges of one connection whose other copies may still be running. */
    static final int MAX_LAGGING = 4;

    private final ExchangeFactory exchanges;
    private final FrontEvents events;
    private final FrontDrain drain;
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private final Set<Exchange> unfinished = Collections.newSetFromMap(new IdentityHashMap<>());
    private ChannelHandlerContext ctx;
    private Exchange current;
    private boolean closing;
    private boolean closeAfterReply;

    ClientRequestReceiver(ExchangeFactory exchanges, FrontEvents events, FrontDrain drain) {
        this.exchanges = exchanges;
        this.events = events;
        this.drain = drain;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request) || closing) {
            ReferenceCountUtil.release(msg);
            return;
        }
        queued.add(request); // in turn: after the reply in progress, and with few enough copies lagging
        if (queued.size() >= MAX_PIPELINED) {
            ctx.channel().config().setAutoRead(false);
        }
        startQueued();
    }

    private void reject(Throwable cause) {
        closing = true;
        releaseQueued();
        if (cause instanceof FrontRejection r) {
            events.rejected(r.reason());
            ErrorReplies.sendAndClose(ctx, r.status(), r.getMessage());
        } else if (isFraming(cause)) {
            events.rejected(FrontEvents.FRAMING);
            ErrorReplies.sendAndClose(ctx, HttpResponseStatus.BAD_REQUEST, "conflicting or invalid message framing");
        } else if (cause instanceof TooLongHttpLineException) {
            events.rejected(FrontEvents.URI_TOO_LONG);
            ErrorReplies.sendAndClose(ctx, HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
        } else if (cause instanceof TooLongHttpHeaderException) {
            events.rejected(FrontEvents.HEADER_TOO_LARGE);
            ErrorReplies.sendAndClose(ctx, HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "header section too large");
        } else {
            events.rejected(FrontEvents.BAD_REQUEST);
            String why = cause instanceof TooLongFrameException ? "request too large" : "malformed request";
            ErrorReplies.sendAndClose(ctx, HttpResponseStatus.BAD_REQUEST, why);
        }
    }

    /** Netty's own refusals of Content-Length / Transfer-Encoding combinations (RFC 9112 §6.3). */
    private static boolean isFraming(Throwable cause) {
        if (cause instanceof ContentLengthNotAllowedException || cause instanceof TransferEncodingNotAllowedException) {
            return true;
        }
        String m = cause.getMessage();
        return cause instanceof IllegalArgumentException && m != null
                && (m.contains("Content-Length") || m.contains("Transfer-Encoding") || m.contains("transfer coding")
                || m.contains("chunked"));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt != HeaderReadTimeout.EXPIRED) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (closing) {
            return;
        }
        events.rejected(FrontEvents.HEADER_TIMEOUT);
        closing = true;
        releaseQueued();
        if (current == null) {
            ErrorReplies.sendAndClose(ctx, HttpResponseStatus.REQUEST_TIMEOUT, "request head not received in time");
        } else {
            closeAfterReply = true; // the reply in progress goes out first, then the connection closes
        }
    }

    private void start(FullHttpRequest request) {
        DecoderResult result = request.decoderResult();
        if (result.isFailure()) {
            request.release();
            reject(result.cause());
            return;
        }
        if (drain.draining() && !FrontProtocol.isHttp2(ctx.channel())) {
            // stopping: this reply says Connection: close and the connection closes after it
            HttpUtil.setKeepAlive(request, false);
        }
        Exchange exchange;
        try {
            exchange = exchanges.create(ctx.channel(), request, this);
        } catch (WriteQueueFull full) {
            request.release();
            closing = true;
            releaseQueued();
            events.rejected(FrontEvents.WRITE_QUEUE_FULL);
            ErrorReplies.sendAndClose(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "write queue full: " + full.getMessage());
            return;
        }
        if (exchange == null) {
            request.release();
            closing = true;
            events.rejected(FrontEvents.NO_REPLICA);
            ErrorReplies.sendAndClose(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "no replica is in service");
            return;
        }
        current = exchange;
        unfinished.add(exchange);
        exchange.start();
    }

    @Override
    public void replied(Exchange exchange, boolean keepAlive) {
        if (exchange != current) {
            return;
        }
        current = null;
        if (keepAlive && drain.draining() && !FrontProtocol.isHttp2(ctx.channel())) {
            closeAfterReply = true; // began before the drain: the connection still closes after it
        }
        if (!keepAlive || closeAfterReply) {
            closing = true;
            releaseQueued();
            if (closeAfterReply) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        startQueued();
    }

    @Override
    public void finished(Exchange exchange) {
        if (unfinished.remove(exchange) && current == null && !closing) {
            startQueued(); // a request may have waited for a lagging copy to end
        }
    }

    /** The next queued request, when no reply is in progress and few enough copies lag behind. */
    private void startQueued() {
        if (current != null || queued.isEmpty() || unfinished.size() > MAX_LAGGING) {
            return;
        }
        FullHttpRequest next = queued.poll();
        if (!ctx.channel().config().isAutoRead() && queued.size() < MAX_PIPELINED / 2) {
            ctx.channel().config().setAutoRead(true);
        }
        start(next);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null) {
            current.clientWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closing = true;
        releaseQueued();
        if (current != null) {
            current.clientGone();
            current = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // I/O errors on the client socket (reset by peer): the connection is gone
        ctx.close();
    }

    private void releaseQueued() {
        FullHttpRequest r;
        while ((r = queued.poll()) != null) {
            r.release();
        }
    }
}
