package io.rollforward.proxy.front;

import io.netty.channel.EventLoop;
import io.rollforward.proxy.exchange.Exchange;
import io.rollforward.proxy.replica.Replica;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The exchanges in flight, one set per event loop, each touched only from its own loop. When a
 * replica goes DOWN every loop is told, and each rolls its own exchanges forward at once.
 */
public final class InflightExchanges {
    private final ConcurrentMap<EventLoop, Set<Exchange>> byLoop = new ConcurrentHashMap<>();

    void add(EventLoop loop, Exchange exchange) {
        byLoop.computeIfAbsent(loop, l -> Collections.newSetFromMap(new IdentityHashMap<>())).add(exchange);
    }

    void remove(EventLoop loop, Exchange exchange) {
        Set<Exchange> set = byLoop.get(loop);
        if (set != null) {
            set.remove(exchange);
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

    /** Exchanges in flight now (approximate when read off the loops). */
    public int size() {
        return byLoop.values().stream().mapToInt(Set::size).sum();
    }
}
