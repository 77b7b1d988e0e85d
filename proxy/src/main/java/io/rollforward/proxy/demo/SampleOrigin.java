package io.rollforward.proxy.demo;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.rollforward.proxy.transport.Transport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny web server for the demo: answers {@code /} with its name and a request counter, and
 * {@code /slow?ms=N} after N milliseconds (at most 60 s). {@link #kill()} drops every connection
 * at once, as a crashed server would.
 */
public final class SampleOrigin implements AutoCloseable {
    private final String name;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong slowInFlight = new AtomicLong();
    private volatile long awaitedSlow = Long.MAX_VALUE;
    private final CompletableFuture<Void> slowReached = new CompletableFuture<>();
    private final Channel server;

    public SampleOrigin(String name, Transport transport, EventLoopGroup group) throws InterruptedException {
        this.name = name;
        this.server = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(1 << 20), new Responder());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        channels.add(server);
    }

    public String name() {
        return name;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Requests answered so far. */
    public long served() {
        return served.get();
    }

    /** Slow requests received and not yet answered. */
    public long slowInFlight() {
        return slowInFlight.get();
    }

    /** Completes once {@code n} slow requests are in flight at the same time. */
    public CompletableFuture<Void> whenSlowInFlight(long n) {
        awaitedSlow = n;
        if (slowInFlight.get() >= n) {
            slowReached.complete(null);
        }
        return slowReached;
    }

    /** Closes the listening socket and every connection now: in-flight requests get no reply. */
    public void kill() {
        channels.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        kill();
    }

    private final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder q = new QueryStringDecoder(request.uri());
            if (q.path().equals("/slow")) {
                long ms = Math.min(60_000, parse(q.parameters().get("ms"), 1000));
                if (slowInFlight.incrementAndGet() >= awaitedSlow) {
                    slowReached.complete(null);
                }
                ctx.executor().schedule(() -> {
                    slowInFlight.decrementAndGet();
                    ctx.writeAndFlush(reply("slow reply from " + name + " after " + ms + " ms, request #" + served.incrementAndGet()));
                }, ms, TimeUnit.MILLISECONDS);
            } else {
                ctx.writeAndFlush(reply("hello from " + name + ", request #" + served.incrementAndGet()));
            }
        }

        private FullHttpResponse reply(String text) {
            byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .set(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set("X-Origin", name);
            return r;
        }

        private static long parse(List<String> values, long fallback) {
            try {
                return values == null || values.isEmpty() ? fallback : Long.parseLong(values.get(0));
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
    }
}
