package io.rollforward.proxy.front;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.rollforward.proxy.exchange.ForwardedHeaders;

/**
 * Refuses, with 508 Loop Detected, a request whose {@code Via} already names this proxy: it went
 * out to a replica and came back (a replica URL that leads to the proxy, through a name, NAT or
 * another proxy). Nothing of it is forwarded, so a loop costs one refused request instead of a
 * copy storm.
 *
 * <pre>
 *   RequestHeadValidator -> ViaLoopCheck -> ... -> BodyLimit (aggregator)
 * </pre>
 *
 * A {@code Via} element is {@code [protocol-name/]protocol-version received-by [comment]}
 * (RFC 9110 §7.6.3); this node's name as {@code received-by} (in any case) with the comment
 * {@code (rollforward)} is the element this proxy added: a loop. The same name with another
 * comment or none is another proxy that happens to share the host name (Squid writes it).
 */
final class ViaLoopCheck extends ChannelInboundHandlerAdapter {
    static final HttpResponseStatus LOOP_DETECTED = new HttpResponseStatus(508, "Loop Detected");

    private final String nodeName;

    ViaLoopCheck(String nodeName) {
        this.nodeName = nodeName;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess() && cameBack(request)) {
            request.setDecoderResult(DecoderResult.failure(new FrontRejection(LOOP_DETECTED, FrontEvents.LOOP,
                    "request already passed through this proxy (Via names " + nodeName + ")")));
        }
        ctx.fireChannelRead(msg);
    }

    private boolean cameBack(HttpRequest request) {
        for (String via : request.headers().getAll(HttpHeaderNames.VIA)) {
            for (String element : via.split(",")) {
                String[] parts = element.trim().split("[ \t]+", 3);
                if (parts.length == 3 && parts[1].equalsIgnoreCase(nodeName)
                        && parts[2].trim().equalsIgnoreCase(ForwardedHeaders.VIA_COMMENT)) {
                    return true;
                }
            }
        }
        return false;
    }
}
