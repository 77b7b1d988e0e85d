package io.rollforward.proxy.exchange;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test origin whose replies are paced by its event loop's timer (no sleeping thread), so a test
 * can kill it, stall it or read it slowly at a chosen byte. Paths:
 * <pre>
 * /file/N/CHUNK/MS      200, Content-Length N, a fixed pattern (the same on every origin), CHUNK bytes every MS ms
 * /random/N/CHUNK/MS    the same framing, random bytes (differs per origin and per request)
 * /chunked/N/CHUNK/MS   the fixed pattern, chunked
 * /sse/COUNT/MS         text/event-stream, chunked, one event "data: k" every MS ms
 * /hang                 reads the request, never answers
 * /bighead/N            200 with a header of N bytes
 * anything else         200 "ok" (2 bytes)
 * </pre>
 * {@link #dieAfter(long)} makes every later reply close its connection (reset) after that many
 * body bytes; {@link #stallAfter(long)} makes it stop writing (connection kept open) instead.
 */
final class PacedOrigin implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    final List<String> journal = new CopyOnWriteArrayList<>();
    final AtomicLong bodyBytesWritten = new AtomicLong();
    private volatile long dieAfter = -1;
    private volatile long stallAfter = -1;

    PacedOrigin() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        open.add(ch);
                        ch.closeFuture().addListener(f -> open.remove(ch));
                        ch.pipeline().addLast(new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    void dieAfter(long bytes) {
        dieAfter = bytes;
    }

    void stallAfter(long bytes) {
        stallAfter = bytes;
    }

    /** Byte {@code i} of every /file and /chunked body. */
    static byte pattern(long i) {
        return (byte) ((i * 31 + 7) % 251);
    }

    static byte[] patternOf(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = pattern(i);
        }
        return b;
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private final StringBuilder head = new StringBuilder();
        private boolean headOnly;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            head.append(in.toString(StandardCharsets.ISO_8859_1));
            ReferenceCountUtil.release(in);
            int end = head.indexOf("\r\n\r\n");
            if (end < 0) {
                return;
            }
            String line = head.substring(0, head.indexOf("\r\n"));
            head.delete(0, end + 4); // bodies are not used by these paths
            journal.add(line);
            headOnly = line.startsWith("HEAD ");
            answer(ctx, line.split(" ")[1]);
        }

        private void answer(ChannelHandlerContext ctx, String target) {
            String[] p = target.split("/");
            switch (p.length > 1 ? p[1] : "") {
                case "file", "random" -> stream(ctx, Long.parseLong(p[2]), Integer.parseInt(p[3]), Long.parseLong(p[4]),
                        p[1].equals("random"), false);
                case "chunked" -> stream(ctx, Long.parseLong(p[2]), Integer.parseInt(p[3]), Long.parseLong(p[4]), false, true);
                case "sse" -> sse(ctx, Integer.parseInt(p[2]), Long.parseLong(p[3]));
                case "hang" -> {
                }
                case "bighead" -> ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\nX-Big: " + "h".repeat(Integer.parseInt(p[2]))
                        + "\r\nContent-Length: 2\r\n\r\nok"));
                default -> ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
            }
        }

        private void stream(ChannelHandlerContext ctx, long n, int chunk, long ms, boolean random, boolean chunked) {
            ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + n + "\r\n") + "\r\n"));
            if (headOnly) {
                return;
            }
            long die = dieAfter;
            long stall = stallAfter;
            next(ctx, 0, n, chunk, ms, random, chunked, die, stall);
        }

        private void next(ChannelHandlerContext ctx, long at, long n, int chunk, long ms, boolean random, boolean chunked,
                          long die, long stall) {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (at >= n) {
                if (chunked) {
                    ctx.writeAndFlush(ascii("0\r\n\r\n"));
                }
                return;
            }
            long limit = n;
            if (die >= 0 && at >= die) {
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0); // a reset, as after kill -9
                ctx.close();
                return;
            }
            if (stall >= 0 && at >= stall) {
                return; // the connection stays open, nothing more comes
            }
            if (die >= 0) {
                limit = Math.min(limit, die);
            }
            if (stall >= 0) {
                limit = Math.min(limit, stall);
            }
            int len = (int) Math.min(chunk, limit - at);
            byte[] b = new byte[len];
            for (int i = 0; i < len; i++) {
                b[i] = random ? (byte) ThreadLocalRandom.current().nextInt() : pattern(at + i);
            }
            ByteBuf out = Unpooled.wrappedBuffer(b);
            if (chunked) {
                ctx.write(ascii(Integer.toHexString(len) + "\r\n"));
                ctx.write(out);
                ctx.writeAndFlush(ascii("\r\n"));
            } else {
                ctx.writeAndFlush(out);
            }
            bodyBytesWritten.addAndGet(len);
            long nextAt = at + len;
            // the next piece once this one left (TCP backpressure paces a slow reader) and MS passed
            ctx.executor().schedule(() -> {
                Runnable rest = () -> next(ctx, nextAt, n, chunk, ms, random, chunked, die, stall);
                if (ctx.channel().isWritable()) {
                    rest.run();
                } else {
                    pending = rest; // resumed by channelWritabilityChanged
                }
            }, ms, TimeUnit.MILLISECONDS);
        }

        private Runnable pending;

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && pending != null) {
                Runnable r = pending;
                pending = null;
                r.run();
            }
        }

        private void sse(ChannelHandlerContext ctx, int count, long ms) {
            ctx.writeAndFlush(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"));
            event(ctx, 0, count, ms);
        }

        private void event(ChannelHandlerContext ctx, int k, int count, long ms) {
            if (!ctx.channel().isActive()) {
                return;
            }
            if (k == count) {
                ctx.writeAndFlush(ascii("0\r\n\r\n"));
                return;
            }
            ctx.executor().schedule(() -> {
                String data = "data: " + k + "\n\n";
                ctx.writeAndFlush(ascii(Integer.toHexString(data.length()) + "\r\n" + data + "\r\n"));
                event(ctx, k + 1, count, ms);
            }, ms, TimeUnit.MILLISECONDS);
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }
}
