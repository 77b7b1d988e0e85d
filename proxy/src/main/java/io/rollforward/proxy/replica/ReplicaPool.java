package io.rollforward.proxy.replica;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.rollforward.config.Limits;
import io.rollforward.proxy.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
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
    private final ConcurrentMap<EventLoop, IdleConnections> pools = new ConcurrentHashMap<>();
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

    /**
     * A connection on {@code loop}; call from {@code loop}. An idle pooled one is handed over at
     * once (the future is already done); otherwise a new one is connected.
     */
    public Future<ReplicaConnection> acquire(EventLoop loop) {
        IdleConnections pool = pools.computeIfAbsent(loop, this::newPool);
        Channel idle = pool.poll();
        if (idle != null) {
            return loop.newSucceededFuture(borrow(idle, pool));
        }
        Promise<ReplicaConnection> promise = loop.newPromise();
        pool.bootstrap.connect().addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                promise.setSuccess(borrow(f.channel(), pool));
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    private static ReplicaConnection borrow(Channel ch, IdleConnections pool) {
        OriginResponseReceiver receiver = ch.pipeline().get(OriginResponseReceiver.class);
        return new ReplicaConnection(ch, receiver, pool, receiver.borrowed() > 0);
    }

    /**
     * Closes every idle connection this event loop holds to the replica. Called when a reused one
     * turned out closed by the replica: its idle siblings are likely just as stale (Apache's
     * mpm_event closes keep-alive connections in bulk when its workers are busy). Call on
     * {@code loop}.
     */
    public void evictIdle(EventLoop loop) {
        IdleConnections pool = pools.get(loop);
        if (pool != null) {
            pool.closeAll();
        }
    }

    /** Connections opened to this replica since start (reuse keeps this low). */
    public long connectionsOpened() {
        return opened.sum();
    }

    /** Idle connections currently pooled, over all event loops (for tests and status). */
    public int idleConnections() {
        return pools.values().stream().mapToInt(IdleConnections::size).sum();
    }

    private IdleConnections newPool(EventLoop loop) {
        long idleMillis = limits.replicaIdleTimeout().toMillis();
        int maxHeader = limits.maxResponseHeaderSize();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) limits.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 2048, MAX_READ))
                .remoteAddress(address)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        opened.increment();
                        ch.pipeline().addLast(
                                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                                // replies are parsed from the bytes once, their bodies passed on as they are
                                new OriginResponseReceiver(Math.max(limits.maxInitialLineLength(), 8192), maxHeader));
                    }
                });
        return new IdleConnections(loop, bootstrap, limits.replicaPoolSize());
    }

    @Override
    public void close() {
        pools.values().forEach(IdleConnections::close);
        pools.clear();
    }

    /**
     * One event loop's idle connections, most recently used first, at most {@code maxIdle}; one
     * more is closed on release. Used from its event loop only (closing excepted), so a plain
     * deque: no promise, listener or health-check future per request, as a general channel pool has.
     * A connection the replica closed while idle is dropped when it comes up.
     */
    static final class IdleConnections {
        private final EventLoop loop;
        private final Bootstrap bootstrap;
        private final int maxIdle;
        private final ArrayDeque<Channel> idle = new ArrayDeque<>();

        IdleConnections(EventLoop loop, Bootstrap bootstrap, int maxIdle) {
            this.loop = loop;
            this.bootstrap = bootstrap;
            this.maxIdle = maxIdle;
        }

        Channel poll() {
            Channel ch;
            while ((ch = idle.pollFirst()) != null) {
                if (ch.isActive()) {
                    return ch;
                }
                ch.close();
            }
            return null;
        }

        /** Back from a request: kept when it is open and there is room, else closed. */
        void release(Channel ch) {
            if (ch.isActive() && idle.size() < maxIdle) {
                idle.addFirst(ch);
            } else {
                ch.close();
            }
        }

        int size() {
            return idle.size();
        }

        void closeAll() {
            Channel ch;
            while ((ch = idle.pollFirst()) != null) {
                ch.close();
            }
        }

        void close() {
            if (loop.inEventLoop()) {
                closeAll();
                return;
            }
            try {
                loop.execute(this::closeAll);
            } catch (RejectedExecutionException stopped) {
                closeAll(); // the loop is gone: its channels are closing anyway
            }
        }
    }
}
