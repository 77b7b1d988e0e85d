package io.rollforward.proxy.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.rollforward.proxy.metrics.ProxyMetrics;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one admin request. Pipeline: {@code HttpServerCodec ->
 * HttpObjectAggregator -> IdleStateHandler -> AdminRequestHandler}. The aggregated request is
 * released by {@link SimpleChannelInboundHandler} after {@link #channelRead0}; every response
 * buffer is handed to {@code writeAndFlush}, which releases it.
 *
 * <p>Routing first (404, 405), then, for mutating calls, the token: no token file 403, no bearer
 * header 401 with {@code WWW-Authenticate: Bearer}, wrong token 403 (RFC 6750 section 3).
 */
@ChannelHandler.Sharable
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(AdminRequestHandler.class);

    /** The Prometheus text exposition format the registry writes. */
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String BEARER = "Bearer ";

    private final ProxyMetrics metrics;
    private final Supplier<?> status;
    private final AdminActions actions;
    private final AdminToken token;
    private final ObjectMapper json;

    AdminRequestHandler(ProxyMetrics metrics, Supplier<?> status, AdminActions actions, AdminToken token,
                        ObjectMapper json) {
        this.metrics = metrics;
        this.status = status;
        this.actions = actions;
        this.token = token;
        this.json = json;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            respond(ctx, false, HttpResponseStatus.BAD_REQUEST, TEXT, "bad request\n");
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        switch (path) {
            case "/metrics" -> {
                if (allowed(ctx, keepAlive, method, HttpMethod.GET)) {
                    respond(ctx, keepAlive, HttpResponseStatus.OK, METRICS_CONTENT_TYPE, metrics.scrape());
                }
            }
            case "/status" -> {
                if (allowed(ctx, keepAlive, method, HttpMethod.GET)) {
                    status(ctx, keepAlive);
                }
            }
            case "/healthz" -> {
                if (allowed(ctx, keepAlive, method, HttpMethod.GET)) {
                    boolean draining = actions.draining();
                    respond(ctx, keepAlive, draining ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.OK,
                            TEXT, draining ? "draining\n" : "ok\n");
                }
            }
            case "/drain" -> mutate(ctx, request, keepAlive, path, actions::drain);
            case "/failover" -> mutate(ctx, request, keepAlive, path, actions::failover);
            case "/reload" -> mutate(ctx, request, keepAlive, path, actions::reload);
            default -> {
                String replica = rejoinTarget(path);
                String group = GroupWeightCall.target(path);
                String vip = failbackTarget(path);
                if (replica != null) {
                    mutate(ctx, request, keepAlive, path, () -> actions.rejoin(replica));
                } else if (group != null) {
                    mutate(ctx, request, keepAlive, path, () -> GroupWeightCall.run(actions, group, request));
                } else if (vip != null) {
                    mutate(ctx, request, keepAlive, path, () -> actions.failback(vip));
                } else {
                    respondJson(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, Map.of("error", "no such path: " + path));
                }
            }
        }
    }

    /** The replica of {@code /replicas/{name}/rejoin}, or null for any other path. */
    static String rejoinTarget(String path) {
        String prefix = "/replicas/";
        String suffix = "/rejoin";
        if (!path.startsWith(prefix) || !path.endsWith(suffix) || path.length() <= prefix.length() + suffix.length()) {
            return null;
        }
        String name = path.substring(prefix.length(), path.length() - suffix.length());
        return name.indexOf('/') >= 0 ? null : QueryStringDecoder.decodeComponent(name);
    }

    /** The address of {@code /cluster/vips/{address}/failback} (IPv6 as written, prefix optional), or null. */
    static String failbackTarget(String path) {
        String prefix = "/cluster/vips/";
        String suffix = "/failback";
        if (!path.startsWith(prefix) || !path.endsWith(suffix) || path.length() <= prefix.length() + suffix.length()) {
            return null;
        }
        return QueryStringDecoder.decodeComponent(path.substring(prefix.length(), path.length() - suffix.length()));
    }

    private boolean allowed(ChannelHandlerContext ctx, boolean keepAlive, HttpMethod method, HttpMethod expected) {
        if (method.equals(expected)) {
            return true;
        }
        FullHttpResponse response = jsonResponse(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED,
                Map.of("error", "method " + method + " not allowed (expected: " + expected + ")"));
        response.headers().set(HttpHeaderNames.ALLOW, expected.name());
        send(ctx, keepAlive, response);
        return false;
    }

    private void status(ChannelHandlerContext ctx, boolean keepAlive) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(status.get());
        } catch (JsonProcessingException | RuntimeException e) {
            log.warn("/status: the status object could not be written as JSON", e);
            respondJson(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    Map.of("error", "status unavailable: " + e.getClass().getSimpleName()));
            return;
        }
        send(ctx, keepAlive, response(HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(body)));
    }

    private void mutate(ChannelHandlerContext ctx, FullHttpRequest request, boolean keepAlive, String path,
                        Supplier<CompletionStage<AdminResult>> action) {
        if (!allowed(ctx, keepAlive, request.method(), HttpMethod.POST)) {
            return;
        }
        String remote = String.valueOf(ctx.channel().remoteAddress());
        if (!token.enabled()) {
            respondJson(ctx, keepAlive, HttpResponseStatus.FORBIDDEN,
                    Map.of("error", "mutating calls are disabled: no admin.token-file is configured"));
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            FullHttpResponse response = jsonResponse(ctx, HttpResponseStatus.UNAUTHORIZED,
                    Map.of("error", "this call needs Authorization: Bearer <token>"));
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"rollforward\"");
            send(ctx, keepAlive, response);
            return;
        }
        if (!token.matches(authorization.substring(BEARER.length()).strip())) {
            log.warn("admin POST {} from {}: wrong token", path, remote);
            respondJson(ctx, keepAlive, HttpResponseStatus.FORBIDDEN, Map.of("error", "wrong token"));
            return;
        }
        CompletionStage<AdminResult> stage;
        try {
            stage = action.get();
        } catch (RuntimeException e) {
            log.warn("admin POST {} from {} failed", path, remote, e);
            respondJson(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    Map.of("error", path + " failed: " + e.getClass().getSimpleName()));
            return;
        }
        // One call at a time per connection, so a pipelined request cannot overtake this reply.
        ctx.channel().config().setAutoRead(false);
        stage.whenComplete((result, error) -> ctx.executor().execute(() -> {
            if (error != null || result == null) {
                log.warn("admin POST {} from {} failed", path, remote, error);
                respondJson(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        Map.of("error", path + " failed"));
            } else {
                log.info("admin POST {} from {}: {} {}", path, remote, result.status(), result.message());
                respondJson(ctx, keepAlive, HttpResponseStatus.valueOf(result.status()),
                        Map.of("message", result.message()));
            }
            ctx.channel().config().setAutoRead(true);
        }));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} closed on error", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    private void respondJson(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                             Map<String, String> body) {
        send(ctx, keepAlive, jsonResponse(ctx, status, body));
    }

    private FullHttpResponse jsonResponse(ChannelHandlerContext ctx, HttpResponseStatus status, Map<String, String> body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
        return response(status, JSON, Unpooled.wrappedBuffer(bytes));
    }

    private void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                         String contentType, String body) {
        send(ctx, keepAlive, response(status, contentType, ByteBufUtil.writeUtf8(ctx.alloc(), body)));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        if (keepAlive) {
            HttpUtil.setKeepAlive(response, true);
            ctx.writeAndFlush(response);
        } else {
            HttpUtil.setKeepAlive(response, false);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
