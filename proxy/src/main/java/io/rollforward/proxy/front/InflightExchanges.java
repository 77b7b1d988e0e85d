package io.rollforward.proxy.front;

import io.netty.channel.EventLoop;
import io.rollforward.proxy.exchange.Exchange;
import io.rollforward.proxy.replica.Replica;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The exchanges in flight, one set per event loop, each touched only from its own loop. When a
 * replica goes DOWN every loop is told, and each rolls its own exchanges forward at once.
 */
public final class InflightExchanges {
    private final ConcurrentMap<EventLoop, Set<Exchange>> byLoop = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    void add(EventLoop loop, Exchange exchange) {
        if (byLoop.computeIfAbsent(loop, l -> Collections.newSetFromMap(new IdentityHashMap<>())).add(exchange)) {
            count.incrementAndGet();
        }
    }

    void remove(EventLoop loop, Exchange exchange) {
        Set<Exchange> set = byLoop.get(loop);
        if (set != null && set.remove(exchange)) {
            count.decrementAndGet();
        }
    }

    /** Fails every in-flight copy sent to {@code replica}; returns at once, work runs on each loop. */
    public void replicaDown(Replica replica) {
        byLoop.forEach((loop, set) -> loop.execute(() -> {
            for (Exchange e : set.toArray(new Exchange[0])) {
                e.replicaDown(replica);
            }
        }));
    }

    /**
     * The proxy is stopping and the exchanges still in flight are out of time: each is ended now
     * (its copies dropped, its buffers released) on its own loop. Returns at once.
     */
    public void stopAll() {
        byLoop.forEach((loop, set) -> {
            if (!loop.isShuttingDown()) {
                loop.execute(() -> {
                    for (Exchange e : set.toArray(new Exchange[0])) {
                        e.stop();
                    }
                });
            }
        });
    }

    /** Exchanges in flight now; safe to read from any thread. */
    public int size() {
        return count.get();
    }
}
