package io.rollforward.proxy.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.rollforward.config.HostPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One active-check {@code GET} on a connection of its own ({@code Connection: close}), answered
 * or failed within the check's timeout. Netty rather than the JDK client because the JDK client
 * refuses to set {@code Host}, which {@code check.host} needs (a server that serves its test page
 * on one virtual host only).
 *
 * <pre>
 *   HttpClientCodec -> HttpObjectAggregator (1 MiB) -> Receiver
 * </pre>
 */
final class CheckRequest {
    /** A test page larger than this fails the check: it is meant to be small. */
    static final int MAX_BODY = 1024 * 1024;

    /** What the server answered. */
    record Answer(int status, String body) {
    }

    private CheckRequest() {
    }

    /**
     * @param host the {@code Host} header: {@code check.host}, else the replica's {@code host:port}
     */
    static CompletableFuture<Answer> send(EventLoopGroup group, Class<? extends SocketChannel> channelType,
                                          HostPort address, String host, String path, Duration timeout) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        ChannelFuture connect = new Bootstrap().group(group).channel(channelType)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_BODY), new Receiver(answer));
                    }
                })
                .connect(address.host(), address.port());
        Channel channel = connect.channel();
        var timer = channel.eventLoop().schedule(
                () -> answer.completeExceptionally(new TimeoutException("no answer within " + timeout.toMillis() + " ms")),
                timeout.toNanos(), TimeUnit.NANOSECONDS);
        answer.whenComplete((a, e) -> {
            timer.cancel(false);
            channel.close();
        });
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                answer.completeExceptionally(f.cause());
                return;
            }
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path, Unpooled.EMPTY_BUFFER);
            request.headers().set(HttpHeaderNames.HOST, host)
                    .set(HttpHeaderNames.USER_AGENT, "rollforward-check")
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            channel.writeAndFlush(request).addListener(w -> {
                if (!w.isSuccess()) {
                    answer.completeExceptionally(w.cause());
                }
            });
        });
        return answer;
    }

    /** Completes the answer with the first full response; anything else fails it. */
    private static final class Receiver extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final CompletableFuture<Answer> answer;

        Receiver(CompletableFuture<Answer> answer) {
            this.answer = answer;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            if (response.decoderResult().isFailure()) {
                answer.completeExceptionally(response.decoderResult().cause());
            } else {
                answer.complete(new Answer(response.status().code(), response.content().toString(StandardCharsets.UTF_8)));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            answer.completeExceptionally(new IOException("connection closed before a full reply"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            answer.completeExceptionally(cause);
            ctx.close();
        }
    }
}
