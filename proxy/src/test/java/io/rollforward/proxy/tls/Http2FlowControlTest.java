package io.rollforward.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import io.rollforward.config.ByteSize;
import io.rollforward.config.Limits;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.TlsConfig;
import io.rollforward.proxy.testing.ApacheInstance;
import io.rollforward.proxy.testing.ProxyUnderTest;
import io.rollforward.testkit.TestCertificates;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 flow control end to end, with a Netty client that grants each stream a 16 KiB window
 * and reads one stream not at all: that stream's 2 MiB reply (streamed, uncovered, because the
 * response buffer is 64 KiB) stops at its window, and another stream of the same connection is
 * answered meanwhile. When the client reads again, the stalled stream gets all its bytes, as
 * Apache sent them: the proxy paused the replica read instead of dropping or buffering without
 * bound.
 */
class Http2FlowControlTest {
    @TempDir
    Path dir;

    @Test
    void aStalledStreamDoesNotStallTheConnection() throws Exception {
        assumeTrue(TestCertificates.available(), "needs the openssl CLI (Debian openssl)");
        ApacheInstance.assumeAvailable();
        TestCertificates.create(dir, "site", "localhost");
        TlsConfig tls = Http2LimitsTest.HttpsFrontTestConfig.tls(dir, "alpn: [h2]\n");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (ApacheInstance master = ApacheInstance.start("master"); ApacheInstance backup = ApacheInstance.start("backup");
             ProxyUnderTest proxy = new ProxyUnderTest.Builder().config(c -> c
                     .withReplicas(java.util.List.of(ReplicaConfig.of("master", master.hostPort()),
                             ReplicaConfig.of("backup", backup.hostPort())))
                     .withLimits(smallResponseBuffer(c.limits()))
                     .withTls(tls)).start()) {
            Channel connection = connect(group, proxy.proxy().tlsAddress().orElseThrow());
            Body stalled = new Body();
            Http2StreamChannel slow = open(connection, stalled, "/big.bin");
            slow.config().setAutoRead(false); // read nothing: its window stays spent
            slow.read(); // the reply head only
            await().atMost(Duration.ofSeconds(20)).until(() -> stalled.head.isDone());

            Body quick = new Body();
            open(connection, quick, "/64k.bin").config().setAutoRead(true);
            assertThat(quick.done.get(20, TimeUnit.SECONDS)).isEqualTo(ApacheInstance.contentOf("64k.bin"));
            assertThat(stalled.done).isNotDone();
            assertThat(stalled.received()).isLessThan(ApacheInstance.contentOf("big.bin").length);

            slow.eventLoop().execute(() -> slow.config().setAutoRead(true));
            assertThat(stalled.done.get(30, TimeUnit.SECONDS)).isEqualTo(ApacheInstance.contentOf("big.bin"));
            connection.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static Limits smallResponseBuffer(Limits l) {
        return new Limits(l.maxRequestBody(), l.maxHeaderSize(), l.maxInitialLineLength(), ByteSize.parse("64KiB"),
                l.headerReadTimeout(), l.idleTimeout(), l.maxConnections(), l.replicaPoolSize(), l.replicaIdleTimeout(),
                l.connectTimeout());
    }

    private static Channel connect(EventLoopGroup group, InetSocketAddress at) throws Exception {
        SslContext ssl = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
                .build();
        return new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(ssl.newHandler(ch.alloc(), "localhost", at.getPort()));
                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().initialWindowSize(16 * 1024)).build());
                ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
            }
        }).connect(at).sync().channel();
    }

    private static Http2StreamChannel open(Channel connection, Body body, String path) throws Exception {
        Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(body).open().sync().getNow();
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET").path(path)
                .scheme("https").authority("localhost"), true));
        return stream;
    }

    /** Collects one reply's body; reads stay under the channel's auto-read setting. */
    private static final class Body extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Void> head = new CompletableFuture<>();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        private final ByteBuf bytes = Unpooled.buffer();

        int received() {
            return bytes.readableBytes();
        }

        @Override
        public boolean isSharable() {
            return true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame headers) {
                    assertThat(headers.headers().status().toString()).isEqualTo("200");
                    head.complete(null);
                } else if (msg instanceof Http2DataFrame data) {
                    bytes.writeBytes(data.content());
                    if (data.isEndStream()) {
                        byte[] all = new byte[bytes.readableBytes()];
                        bytes.readBytes(all);
                        bytes.release();
                        done.complete(all);
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }
}
