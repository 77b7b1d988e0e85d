package io.rollforward.proxy.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.FailureCause;
import io.rollforward.proxy.testing.ProxyUnderTest;
import io.rollforward.proxy.transport.Transport;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A replica that closes a kept-alive connection just as the proxy reuses it (as Apache's
 * mpm_event does in bulk when its workers are busy): the proxy retries on a fresh connection, so
 * no request fails, nothing rolls forward, and passive health never ejects the replica.
 */
class StaleKeepAliveTest {
    private final EventLoopGroup group = Transport.best().newGroup(1);
    private ProxyUnderTest proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    /** Answers the first request on each connection (after 100 ms), and closes on any later one. */
    private int oneRequestPerConnectionOrigin(String name) throws InterruptedException {
        Channel server = new ServerBootstrap().group(group).channel(Transport.best().serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16),
                                new SimpleChannelInboundHandler<FullHttpRequest>() {
                                    private int served;

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
                                        if (served++ > 0) {
                                            ctx.close();
                                            return;
                                        }
                                        byte[] body = ("from " + name).getBytes(StandardCharsets.UTF_8);
                                        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
                                        r.headers().set("Content-Length", body.length);
                                        ctx.executor().schedule(() -> ctx.writeAndFlush(r), 100, TimeUnit.MILLISECONDS);
                                    }
                                });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Test
    void staleReusedConnectionsAreRetriedFreshWithoutFailingTheRequest() throws Exception {
        List<String> failures = new CopyOnWriteArrayList<>();
        proxy = new ProxyUnderTest.Builder().events(new ExchangeEvents() {
            @Override
            public void replicaFailed(Replica replica, FailureCause cause) {
                failures.add(replica.name() + " " + cause.tag());
            }
        }).start(oneRequestPerConnectionOrigin("master"), oneRequestPerConnectionOrigin("backup"));

        // fill the pools with several idle connections per event loop
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/fill/" + i))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : burst) {
            assertThat(f.get(10, TimeUnit.SECONDS).body()).isEqualTo("from master");
        }
        // every pooled connection is now stale: each reuse is refused by a close
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = proxy.get("/after/" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("from master");
            assertThat(r.headers().firstValue("X-Served-By")).contains("master");
        }
        assertThat(failures).isEmpty();
    }
}
