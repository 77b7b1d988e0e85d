package io.rollforward.proxy.front;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Checks a decoded request head for what the decoder accepts but a proxy must not pass on. A bad
 * head gets a failed {@code DecoderResult} carrying a {@link FrontRejection}; nothing of it is
 * forwarded.
 *
 * <pre>
 *   StrictRequestDecoder -> HeaderReadTimeout -> RequestHeadValidator -> BodyLimit (aggregator)
 * </pre>
 *
 * <ul>
 *   <li>version other than HTTP/1.0 or HTTP/1.1: 505 (RFC 9110 §15.6.6);</li>
 *   <li>HTTP/1.1 without Host, or more than one Host: 400 (RFC 9112 §3.2);</li>
 *   <li>an {@code Expect} other than {@code 100-continue}: 417 (RFC 9110 §10.1.1);</li>
 *   <li>a Content-Length over {@code limits.max-request-body}: 413, before the body is read;</li>
 *   <li>an {@code Upgrade: websocket}: 501. A WebSocket is a long two-way conversation with one
 *       server: mirroring it is meaningless, and no backup could take it over mid-session, so the
 *       proxy does not pretend to (README, "Limits and errors"). Other upgrades (h2c) are ignored,
 *       as a server may (RFC 9110 §7.8);</li>
 *   <li>a request target that is not origin-form, an http(s) absolute-form with an authority, or
 *       {@code *} for OPTIONS: 400 (RFC 9112 §3.2). CONNECT (authority-form) is not proxied.</li>
 * </ul>
 */
final class RequestHeadValidator extends ChannelInboundHandlerAdapter {
    private final long maxRequestBody;

    RequestHeadValidator(long maxRequestBody) {
        this.maxRequestBody = maxRequestBody;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
            FrontRejection refused = check(request);
            if (refused != null) {
                request.setDecoderResult(DecoderResult.failure(refused));
            }
        }
        ctx.fireChannelRead(msg);
    }

    private FrontRejection check(HttpRequest request) {
        String why = problem(request);
        if (why != null) {
            HttpResponseStatus status = why.startsWith("version")
                    ? HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED : HttpResponseStatus.BAD_REQUEST;
            return new FrontRejection(status, FrontEvents.BAD_REQUEST, why);
        }
        String expect = request.headers().get(HttpHeaderNames.EXPECT);
        if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
            return new FrontRejection(HttpResponseStatus.EXPECTATION_FAILED, FrontEvents.BAD_REQUEST,
                    "only the 100-continue expectation is supported");
        }
        for (String upgrade : request.headers().getAll(HttpHeaderNames.UPGRADE)) {
            if (upgrade.toLowerCase(Locale.ROOT).contains("websocket")) {
                return new FrontRejection(HttpResponseStatus.NOT_IMPLEMENTED, FrontEvents.UPGRADE,
                        "WebSocket is not proxied: every request here runs on two servers and no backup can take over"
                                + " a live socket; route WebSocket traffic to the servers directly");
            }
        }
        // the decoder already refused a Content-Length that is not one non-negative number
        long length = HttpUtil.getContentLength(request, -1L);
        if (length > maxRequestBody) {
            return new FrontRejection(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, FrontEvents.BODY_TOO_LARGE,
                    "body larger than limits.max-request-body " + maxRequestBody);
        }
        return null;
    }

    private static String problem(HttpRequest request) {
        HttpVersion version = request.protocolVersion();
        if (!version.equals(HttpVersion.HTTP_1_1) && !version.equals(HttpVersion.HTTP_1_0)) {
            return "version " + version.text() + " not supported";
        }
        List<String> hosts = request.headers().getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return "more than one Host header";
        }
        if (hosts.isEmpty() && version.equals(HttpVersion.HTTP_1_1)) {
            return "HTTP/1.1 request without Host";
        }
        if (HttpMethod.CONNECT.equals(request.method())) {
            return "CONNECT is not proxied";
        }
        return targetProblem(request.method(), request.uri());
    }

    private static String targetProblem(HttpMethod method, String target) {
        if (target.startsWith("/")) {
            return null; // origin-form goes to the replicas as it came; the decoder already split on whitespace
        }
        if ("*".equals(target)) {
            return HttpMethod.OPTIONS.equals(method) ? null : "asterisk-form only for OPTIONS";
        }
        try {
            URI uri = new URI(target);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                return "absolute-form target must be http or https";
            }
            if (uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
                return "absolute-form target without authority";
            }
            return null;
        } catch (URISyntaxException e) {
            return "malformed request target";
        }
    }
}
