package io.rollforward.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;

/**
 * Last handler of a replica connection: reads the reply from the socket's bytes and hands it to
 * the {@link ResponseSink} of the call currently using the connection. The head is parsed once
 * ({@link ReplyHeadParser}, 1xx heads skipped); the body's bytes go on as they are: a
 * Content-Length or close-delimited body as the socket's buffers themselves (or retained slices of
 * the one that also held the head), a chunked one as slices of its chunks ({@link ChunkedBodyReader}).
 * Only an incomplete head or chunk-size line is held between reads.
 *
 * <pre>
 *   replica socket -> IdleStateHandler -> OriginResponseReceiver -> ResponseSink
 * </pre>
 *
 * A connection idle in the pool has no sink: anything the server sends then is unexpected, so the
 * connection is closed. An idle event closes a pooled connection; a connection in use is bounded
 * by the call's per-request timeout instead.
 */
final class OriginResponseReceiver extends ChannelInboundHandlerAdapter {
    private enum State { HEAD, LENGTH, CHUNKED, CLOSE }

    private final ReplyHeadParser parser;
    private final int maxFields;
    private ResponseSink sink;
    private boolean headRequest;
    private State state = State.HEAD;
    private long remaining;
    private ChunkedBodyReader chunks;
    private int uses;
    /** An incomplete head or chunk line, waiting for the next read. */
    private ByteBuf cumulation;

    OriginResponseReceiver(int maxStatusLine, int maxFields) {
        this.parser = new ReplyHeadParser(maxStatusLine, maxFields);
        this.maxFields = maxFields;
    }

    /** How many requests the connection was borrowed for before this one (keep-alive reuse). */
    int borrowed() {
        return uses++;
    }

    /** The connection carries {@code sink}'s request; {@code headRequest}: its reply has no body. */
    void attach(ResponseSink sink, boolean headRequest) {
        this.sink = sink;
        this.headRequest = headRequest;
        this.state = State.HEAD;
        parser.reset();
    }

    void detach() {
        this.sink = null;
    }

    boolean attached() {
        return sink != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ByteBuf in = (ByteBuf) msg;
        if (cumulation != null) {
            in = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
            cumulation = null;
        }
        boolean passedOn = false;
        try {
            passedOn = read(ctx, in);
        } finally {
            if (!passedOn) {
                if (in.isReadable() && sink != null && (state == State.HEAD || state == State.CHUNKED)) {
                    cumulation = in;
                } else {
                    in.release();
                }
            }
        }
    }

    /** Reads {@code in}; true when {@code in} itself went to the sink (it owns it now). */
    private boolean read(ChannelHandlerContext ctx, ByteBuf in) {
        while (true) {
            ResponseSink target = sink;
            if (target == null) {
                skipLineEnds(in);
                if (in.isReadable()) {
                    ctx.close(); // no request of ours is waiting: the server is out of step
                }
                return false;
            }
            switch (state) {
                case HEAD -> {
                    skipLineEnds(in); // stray CRLFs after a previous body (RFC 9112 §2.2)
                    ReplyHead head;
                    try {
                        int length = parser.headLength(in);
                        if (length < 0) {
                            return false;
                        }
                        head = parser.parse(in, length, headRequest);
                    } catch (MalformedReplyException bad) {
                        sink = null;
                        ctx.close();
                        target.onBadHead(bad, bad.tooLarge());
                        return false;
                    }
                    if (head.status() < 200) {
                        continue; // 100 Continue, 103 Early Hints: the final head follows
                    }
                    switch (head.framing()) {
                        case LENGTH -> {
                            state = State.LENGTH;
                            remaining = head.contentLength();
                        }
                        case CHUNKED -> {
                            state = State.CHUNKED;
                            chunks = new ChunkedBodyReader(maxFields);
                        }
                        case CLOSE -> state = State.CLOSE;
                        case NONE -> {
                            state = State.LENGTH;
                            remaining = 0;
                        }
                    }
                    target.onHead(head);
                    if (state == State.LENGTH && remaining == 0 && sink == target) {
                        end(target, null);
                    }
                }
                case LENGTH -> {
                    int n = (int) Math.min(remaining, in.readableBytes());
                    if (n == 0) {
                        return false;
                    }
                    remaining -= n;
                    boolean whole = n == in.readableBytes();
                    target.onBody(whole ? in : in.readRetainedSlice(n));
                    if (remaining == 0 && sink == target) {
                        end(target, null);
                    }
                    if (whole) {
                        return true;
                    }
                }
                case CHUNKED -> {
                    boolean ended;
                    try {
                        ended = chunks.read(in, target::onBody);
                    } catch (MalformedReplyException bad) {
                        sink = null;
                        ctx.close();
                        target.onBroken(bad);
                        return false;
                    }
                    if (!ended) {
                        return false;
                    }
                    if (sink == target) {
                        end(target, chunks.trailers());
                    }
                    chunks = null;
                }
                case CLOSE -> {
                    if (!in.isReadable()) {
                        return false;
                    }
                    target.onBody(in);
                    return true;
                }
            }
        }
    }

    private void end(ResponseSink target, io.netty.handler.codec.http.HttpHeaders trailers) {
        sink = null;
        state = State.HEAD;
        target.onEnd(trailers);
    }

    private static void skipLineEnds(ByteBuf in) {
        while (in.isReadable()) {
            byte b = in.getByte(in.readerIndex());
            if (b != '\r' && b != '\n') {
                return;
            }
            in.skipBytes(1);
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
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        ResponseSink target = sink;
        sink = null;
        if (target != null) {
            if (state == State.CLOSE) {
                state = State.HEAD;
                target.onEnd(null); // a close-delimited body ends with the connection
            } else {
                target.onBroken(new ClosedChannelException());
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
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
