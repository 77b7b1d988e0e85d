package io.rollforward.proxy.front;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import java.util.List;

/**
 * Netty's request decoder plus the two checks it cannot make on decoded messages, because the
 * evidence is gone once a line is parsed:
 *
 * <ul>
 *   <li>obs-fold: Netty joins a header line that starts with SP or HTAB to the previous one. RFC
 *       9112 §5.2 lets a server reject such a message with 400, and a proxy must not pass a
 *       folded header on, since a replica might split it differently (request smuggling).</li>
 *   <li>chunk extension abuse: chunk extensions and framing are dropped by the decoder and do not
 *       count toward {@code max-request-body}, so a client could send endless framing bytes with
 *       1-byte chunks. Like Go's net/http chunked reader, the non-data bytes of a body may exceed
 *       {@code 2 * data + 16 per chunk} by at most {@code max-header-size} (the trailer bound).</li>
 * </ul>
 *
 * It also maps a broken chunked body to a 400 {@link FrontRejection}, and fires
 * {@link HeadStarted} when the first byte of a request head arrives (for
 * {@link HeaderReadTimeout}). After a rejection it discards all further input: the connection
 * closes after the error reply.
 *
 * <p>Each {@code decode} call of {@link io.netty.handler.codec.http.HttpObjectDecoder} returns
 * right after emitting a head or a piece of content, so the bytes consumed by one call belong
 * wholly to the head or wholly to the body that was being read when the call began.
 */
final class StrictRequestDecoder extends HttpRequestDecoder {
    /** The first byte of a new request head has arrived. */
    static final Object HEAD_STARTED = HeadStarted.INSTANCE;

    enum HeadStarted { INSTANCE }

    private final long overheadSlack;

    private boolean inHead = true;
    private boolean headStarted;
    private int lineLength;
    private boolean lineJustEnded;
    private boolean folded;

    private long wireBodyBytes;
    private long dataBytes;
    private long contents;
    private boolean discarding;

    StrictRequestDecoder(HttpDecoderConfig config) {
        super(config);
        this.overheadSlack = config.getMaxHeaderSize();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (discarding || !ctx.channel().isActive()) {
            // refused or closed: parsing the rest would only feed a pipeline that is going away
            in.skipBytes(in.readableBytes());
            return;
        }
        if (inHead && !headStarted && in.isReadable()) {
            headStarted = true;
            ctx.fireUserEventTriggered(HEAD_STARTED);
        }
        int start = in.readerIndex();
        int first = out.size();
        super.decode(ctx, in, out);
        if (inHead) {
            scanHead(in, start, in.readerIndex());
        } else {
            wireBodyBytes += in.readerIndex() - start;
        }
        for (int i = first; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof HttpMessage head) {
                onHead(head);
            } else if (o instanceof HttpContent content) {
                onContent(content);
            }
            if (o instanceof LastHttpContent) {
                inHead = true;
                headStarted = false;
            }
        }
        if (!inHead && !discarding && wireBodyBytes - dataBytes > overheadSlack + 2 * dataBytes + 16 * contents) {
            LastHttpContent abort = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            abort.setDecoderResult(DecoderResult.failure(new FrontRejection(HttpResponseStatus.BAD_REQUEST,
                    FrontEvents.FRAMING, "chunked body carries too many non-data bytes (chunk extensions)")));
            out.add(abort);
            discard(in);
        }
    }

    private void onHead(HttpMessage head) {
        inHead = false;
        wireBodyBytes = 0;
        dataBytes = 0;
        contents = 0;
        if (folded && head.decoderResult().isSuccess()) {
            head.setDecoderResult(DecoderResult.failure(new FrontRejection(HttpResponseStatus.BAD_REQUEST,
                    FrontEvents.OBS_FOLD, "obsolete line folding in a header (RFC 9112 section 5.2)")));
            discarding = true;
        }
        folded = false;
        lineLength = 0;
        lineJustEnded = false;
    }

    private void onContent(HttpContent content) {
        contents++;
        dataBytes += content.content().readableBytes();
        DecoderResult result = content.decoderResult();
        if (result.isFailure() && !(result.cause() instanceof FrontRejection)) {
            content.setDecoderResult(DecoderResult.failure(new FrontRejection(HttpResponseStatus.BAD_REQUEST,
                    FrontEvents.FRAMING, "invalid chunked body: " + result.cause().getMessage())));
            discarding = true;
        }
    }

    /** Looks for a line that starts with SP or HTAB right after a non-empty header line. */
    private void scanHead(ByteBuf in, int from, int to) {
        if (to > from) {
            in.forEachByte(from, to - from, headScan); // one bounds and access check per call, not per byte
        }
    }

    /** The state of {@link #scanHead} lives in the decoder's fields: a head may arrive in pieces. */
    private final ByteProcessor headScan = b -> {
        if (lineJustEnded && (b == ' ' || b == '\t')) {
            folded = true;
        }
        if (b == '\n') {
            lineJustEnded = lineLength > 0;
            lineLength = 0;
        } else {
            lineJustEnded = false;
            if (b != '\r') {
                lineLength++;
            }
        }
        return true;
    };

    private void discard(ByteBuf in) {
        discarding = true;
        in.skipBytes(in.readableBytes());
    }
}
