import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
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

/**
 * The soak's web server: {@code GET|POST /?n=BYTES} answers 200 with a body of BYTES bytes (the
 * same bytes on every replica, so no divergence) plus the request body length in a header.
 *
 * <p>{@code java -cp proxy/target/rollforward.jar bench/soak/SoakOrigin.java PORT}
 */
public final class SoakOrigin {
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                new HttpObjectAggregator(1 << 20), new Responder());
                    }
                })
                .bind("127.0.0.1", port).sync();
        System.out.println("origin listening on 127.0.0.1:" + port);
        System.out.flush();
        group.terminationFuture().sync();
    }

    /** One shared read-only body; each reply is a retained slice of it (the same bytes on every replica). */
    private static final ByteBuf BODY = makeBody();

    private static ByteBuf makeBody() {
        byte[] bytes = new byte[4 << 20];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return io.netty.buffer.Unpooled.unreleasableBuffer(io.netty.buffer.Unpooled.wrappedBuffer(bytes).asReadOnly());
    }

    private static final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            int n = 100;
            var q = new QueryStringDecoder(request.uri()).parameters().get("n");
            if (q != null && !q.isEmpty()) {
                n = Math.max(0, Math.min(4 << 20, Integer.parseInt(q.get(0))));
            }
            ByteBuf body = BODY.retainedSlice(0, n);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers().set(HttpHeaderNames.CONTENT_LENGTH, n)
                    .set("X-Request-Body", request.content().readableBytes());
            ctx.writeAndFlush(response);
        }
    }
}
