package io.rollforward.proxy.replica;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.SimpleChannelPool;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.rollforward.config.Limits;
import io.rollforward.proxy.transport.Transport;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keep-alive connections to one replica, one bounded pool per event loop: an Exchange borrows a
 * connection on its client's event loop, so the connection, the Exchange and the client channel
 * share a thread and need no locks (as Netty's proxy example does with {@code inbound.eventLoop()}).
 *
 * <p>At most {@code replica-pool-size} idle connections are kept per event loop; an extra one is
 * closed on release. An idle pooled connection is closed after {@code replica-idle-timeout}, which
 * should be shorter than the replica's own keep-alive timeout (Apache's default is 5s) so that
 * the replica never closes a connection just as the proxy reuses it.
 */
public final class ReplicaPool implements AutoCloseable {
    private static final AttributeKey<Integer> USES = AttributeKey.valueOf("rollforward.uses");

    /**
     * The largest socket read of a replica connection, in bytes (half Netty's default). Every read
     * of a paused copy's socket is held until the client takes it (a master's read waits in the
     * client's outbound buffer, a backup's in its splice window), so this is the per-connection
     * unit of the memory bound, and a backup reserves this much of the budget before it reads on
     * (docs/ARCHITECTURE.md, "Bounded memory"). With 1,000 slow clients at -Xmx192m, 64 KiB
     * reads peaked at 156 MiB of direct memory, 32 KiB at 137 MiB; the price is more reads, up to
     * ~20% more proxy CPU for many concurrent fast downloads (bench/RESULTS.md, 14:12 entry).
     */
    public static final int MAX_READ = 32 * 1024;

    private final InetSocketAddress address;
    private final Transport transport;
    private final Limits limits;
    private final ConcurrentMap<EventLoop, BoundedPool> pools = new ConcurrentHashMap<>();
    private final LongAdder opened = new LongAdder();

    /** {@code address} is resolved: connecting never looks a name up on an event loop. */
    public ReplicaPool(InetSocketAddress address, Transport transport, Limits limits) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved replica address " + address);
        }
        this.address = address;
        this.transport = transport;
        this.limits = limits;
    }

    /** A connection on {@code loop}; call from {@code loop}. */
    public Future<ReplicaConnection> acquire(EventLoop loop) {
        BoundedPool pool = pools.computeIfAbsent(loop, this::newPool);
        Promise<ReplicaConnection> promise = loop.newPromise();
        pool.acquire().addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                promise.setFailure(f.cause());
                return;
            }
            Channel ch = f.getNow();
            int uses = ch.attr(USES).get();
            ch.attr(USES).set(uses + 1);
            promise.setSuccess(new ReplicaConnection(ch, pool, uses > 0));
        });
        return promise;
    }

    /**
     * Closes every idle connection this event loop holds to the replica. Called when a reused one
     * turned out closed by the replica: its idle siblings are likely just as stale (Apache's
     * mpm_event closes keep-alive connections in bulk when its workers are busy). Call on
     * {@code loop}.
     */
    public void evictIdle(EventLoop loop) {
        BoundedPool pool = pools.get(loop);
        if (pool != null) {
            pool.evictIdle();
        }
    }

    /** Connections opened to this replica since start (reuse keeps this low). */
    public long connectionsOpened() {
        return opened.sum();
    }

    /** Idle connections currently pooled, over all event loops (for tests and status). */
    public int idleConnections() {
        return pools.values().stream().mapToInt(BoundedPool::idle).sum();
    }

    private BoundedPool newPool(EventLoop loop) {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) limits.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ))
                .remoteAddress(address);
        long idleMillis = limits.replicaIdleTimeout().toMillis();
        int maxHeader = limits.maxResponseHeaderSize();
        return new BoundedPool(bootstrap, new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel ch) {
                opened.increment();
                ch.attr(USES).set(0);
                ch.pipeline().addLast(
                        // replies come from our own origins, split on CRLF by the decoder: skip the
                        // per-value re-validation the front keeps for untrusted clients
                        new ReplyDecoder(new HttpDecoderConfig()
                                .setMaxInitialLineLength(Math.max(limits.maxInitialLineLength(), 8192))
                                .setMaxHeaderSize(maxHeader)
                                .setMaxChunkSize(64 * 1024)
                                .setValidateHeaders(false)),
                        new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                        new OriginResponseReceiver());
            }
        }, limits.replicaPoolSize());
    }

    @Override
    public void close() {
        pools.values().forEach(SimpleChannelPool::close);
        pools.clear();
    }

    /** Netty's pool, most-recently-used first, keeping at most {@code maxIdle} idle connections. */
    private static final class BoundedPool extends SimpleChannelPool {
        private final int maxIdle;
        private int idle;

        BoundedPool(Bootstrap bootstrap, AbstractChannelPoolHandler handler, int maxIdle) {
            super(bootstrap, handler, ChannelHealthChecker.ACTIVE, true, true);
            this.maxIdle = maxIdle;
        }

        int idle() {
            return idle;
        }

        void evictIdle() {
            Channel ch;
            while ((ch = pollChannel()) != null) {
                ch.close();
            }
        }

        @Override
        protected boolean offerChannel(Channel channel) {
            if (idle >= maxIdle) {
                return false;
            }
            idle++;
            return super.offerChannel(channel);
        }

        @Override
        protected Channel pollChannel() {
            Channel ch = super.pollChannel();
            if (ch != null) {
                idle--;
            }
            return ch;
        }
    }
}
