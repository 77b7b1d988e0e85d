package io.rollforward.proxy.replica;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * Last handler of a replica connection: hands the decoded response to the {@link ResponseSink} of
 * the call currently using the connection.
 *
 * <pre>
 *   replica socket -> ReplyDecoder -> IdleStateHandler -> OriginResponseReceiver -> ResponseSink
 * </pre>
 *
 * A connection idle in the pool has no sink: anything the server sends then is unexpected, so the
 * connection is closed. An idle event closes a pooled connection; a connection in use is bounded
 * by the call's per-request timeout instead.
 */
final class OriginResponseReceiver extends ChannelInboundHandlerAdapter {
    private ResponseSink sink;
    private boolean interim;

    void attach(ResponseSink sink) {
        this.sink = sink;
        this.interim = false;
    }

    void detach() {
        this.sink = null;
    }

    boolean attached() {
        return sink != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ResponseSink target = sink;
        if (target == null) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse head && head.decoderResult().isFailure()) {
            Throwable cause = head.decoderResult().cause();
            sink = null;
            ReferenceCountUtil.release(msg);
            ctx.close();
            target.onBadHead(cause, cause instanceof TooLongHttpHeaderException || cause instanceof TooLongHttpLineException);
            return;
        }
        if (msg instanceof HttpResponse head) {
            // 1xx responses (100 Continue, 103 Early Hints) precede the final one: skip them and
            // the empty LastHttpContent the decoder emits after each.
            interim = head.status().codeClass() == HttpStatusClass.INFORMATIONAL;
            if (!interim) {
                target.onHead(head);
            }
        }
        if (msg instanceof HttpContent content) {
            boolean last = content instanceof LastHttpContent;
            if (interim) {
                content.release();
                if (last) {
                    interim = false;
                }
                return;
            }
            if (last) {
                sink = null;
            }
            target.onContent(content, last);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ResponseSink target = sink;
        if (target != null) {
            target.onReadComplete();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ResponseSink target = sink;
        sink = null;
        if (target != null) {
            target.onBroken(new ClosedChannelException());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ResponseSink target = sink;
        sink = null;
        ctx.close();
        if (target != null) {
            target.onBroken(cause instanceof IOException ? cause : new IOException(cause));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && sink == null) {
            ctx.close();
        } else {
            ReferenceCountUtil.release(evt);
        }
    }
}
