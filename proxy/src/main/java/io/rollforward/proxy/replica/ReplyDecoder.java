package io.rollforward.proxy.replica;

import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpResponseDecoder;

/**
 * Netty's response decoder for a replica connection whose requests are written as bytes (encoded
 * once per exchange, the same bytes for every replica), so no request encoder sits in the
 * pipeline to tell the decoder that a reply answers a HEAD: the connection says so per request
 * ({@link #expectHeadReply}), and such a reply has no body whatever its Content-Length
 * (RFC 9110 §9.3.2).
 */
final class ReplyDecoder extends HttpResponseDecoder {
    private boolean headReply;

    ReplyDecoder(HttpDecoderConfig config) {
        super(config);
    }

    void expectHeadReply(boolean head) {
        headReply = head;
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        return super.isContentAlwaysEmpty(msg) || headReply && !isInterim(msg);
    }

    private static boolean isInterim(HttpMessage msg) {
        return msg instanceof io.netty.handler.codec.http.HttpResponse r && r.status().code() < 200;
    }
}
