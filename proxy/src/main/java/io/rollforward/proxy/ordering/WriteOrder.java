package io.rollforward.proxy.ordering;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One order of writes per key on every replica: per replica and key a FIFO of
 * {@link OrderTicket}s, in the order the proxy admitted the requests. A write gets its turn on a
 * replica when every request of its key admitted before it has released its place on that
 * replica, i.e. the replica answered write k in full before it gets write k+1. A read (with
 * {@code reads: after-writes}) waits only for the writes before it. Replicas advance
 * independently and different keys never wait for each other.
 *
 * <p>Threading: writes of one key arrive on different client connections, so on different event
 * loops. Each key's state is guarded by its {@link ConcurrentHashMap} entry (every change is a
 * short {@code compute} with no I/O and no callback inside); "your turn" goes back to the waiting
 * request's own loop with {@code execute}, so nothing here ever blocks a loop or runs one loop's
 * exchange on another.
 *
 * <p>Bounded: at most {@code maxPerKey} writes admitted and not yet released on every replica per
 * key, {@code maxTotal} over all keys; one more is refused with {@link WriteQueueFull}.
 */
public final class WriteOrder {
    final WriteOrderEvents events;
    final String keyKind;
    final LongSupplier clock;
    private final int maxTotal;
    private final int maxPerKey;
    private final ConcurrentHashMap<String, KeyQueue> keys = new ConcurrentHashMap<>();
    private final AtomicInteger queuedWrites = new AtomicInteger();

    public WriteOrder(String keyKind, int maxTotal, int maxPerKey, WriteOrderEvents events, LongSupplier clock) {
        this.keyKind = keyKind;
        this.maxTotal = maxTotal;
        this.maxPerKey = maxPerKey;
        this.events = events;
        this.clock = clock;
    }

    /** The places of one request on every replica it goes to, all taken in one step. */
    public static final class Admission {
        private final List<OrderTicket> tickets = new ArrayList<>(2);
        private int unreleased; // on the owner's loop, read and written under the key's guard

        public List<OrderTicket> tickets() {
            return tickets;
        }

        /** The ticket for {@code replica}, or null when the request does not go there. */
        public OrderTicket ticket(String replica) {
            for (OrderTicket t : tickets) {
                if (t.replica.equals(replica)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * Takes a place for the request on each of {@code replicas}, in one step, so that two requests
     * admitted at the same moment have the same order on every replica. Places with nothing ahead
     * have their turn at once ({@link OrderTicket#hasTurn()}); the others are handed their turn on
     * {@code loop} later.
     *
     * @throws WriteQueueFull a write over a bound; nothing was taken
     */
    public Admission admit(String key, boolean write, List<String> replicas, Executor loop) throws WriteQueueFull {
        if (write && queuedWrites.incrementAndGet() > maxTotal) {
            queuedWrites.decrementAndGet();
            events.refused(keyKind, "total");
            throw new WriteQueueFull("total", maxTotal + " ordered writes are queued (limits.max-queued-writes)");
        }
        Admission admission = new Admission();
        long now = clock.getAsLong();
        boolean[] full = new boolean[1];
        // decided under the key's guard: once compute returns, a release on another loop may grant a
        // waiting ticket (and hand it its turn), so `granted` read afterwards would count it twice
        List<OrderTicket> grantedNow = new ArrayList<>(replicas.size());
        keys.compute(key, (k, q) -> {
            KeyQueue queue = q == null ? new KeyQueue() : q;
            if (write && queue.writes >= maxPerKey) {
                full[0] = true;
                return q;
            }
            if (write) {
                queue.writes++;
            }
            for (String replica : replicas) {
                OrderTicket t = new OrderTicket(this, key, replica, write, loop, now, admission);
                ArrayDeque<OrderTicket> lane = queue.lanes.computeIfAbsent(replica, r -> new ArrayDeque<>());
                t.granted = write ? lane.isEmpty() : lane.stream().noneMatch(o -> o.write);
                lane.addLast(t);
                admission.tickets.add(t);
                if (t.granted) {
                    grantedNow.add(t);
                }
            }
            admission.unreleased = replicas.size();
            return queue;
        });
        if (full[0]) {
            queuedWrites.decrementAndGet();
            events.refused(keyKind, "key");
            throw new WriteQueueFull("key", maxPerKey + " ordered writes are queued for this key (limits.max-queued-writes-per-key)");
        }
        for (OrderTicket t : grantedNow) {
            t.grantedAtAdmission();
        }
        return admission;
    }

    void release(OrderTicket ticket) {
        List<OrderTicket> next = new ArrayList<>(2);
        keys.computeIfPresent(ticket.key, (k, queue) -> {
            ArrayDeque<OrderTicket> lane = queue.lanes.get(ticket.replica);
            if (lane != null && lane.remove(ticket)) {
                grantNext(lane, next);
                if (lane.isEmpty()) {
                    queue.lanes.remove(ticket.replica);
                }
            }
            if (--ticket.admission.unreleased == 0 && ticket.write) {
                queue.writes--;
                queuedWrites.decrementAndGet();
            }
            return queue.lanes.isEmpty() ? null : queue;
        });
        for (OrderTicket t : next) {
            t.handOver();
        }
    }

    /** From the head: reads until the first write; that write only if nothing is before it. */
    private static void grantNext(ArrayDeque<OrderTicket> lane, List<OrderTicket> next) {
        boolean first = true;
        for (OrderTicket t : lane) {
            if (t.write) {
                if (first && !t.granted) {
                    t.granted = true;
                    next.add(t);
                }
                return;
            }
            if (!t.granted) {
                t.granted = true;
                next.add(t);
            }
            first = false;
        }
    }

    /** Ordered writes admitted and not yet released on every replica, all keys. */
    public int queuedWrites() {
        return queuedWrites.get();
    }

    /** For {@code GET /status}: depths per replica and the deepest keys. */
    public Map<String, Object> status() {
        Map<String, Integer> perReplica = new TreeMap<>();
        Map<String, Integer> depthByKey = new HashMap<>();
        for (String key : keys.keySet()) {
            keys.computeIfPresent(key, (k, queue) -> {
                depthByKey.put(k, queue.writes);
                queue.lanes.forEach((replica, lane) -> perReplica.merge(replica, lane.size(), Integer::sum));
                return queue;
            });
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key_kind", keyKind);
        m.put("queued_writes", queuedWrites.get());
        m.put("keys", depthByKey.size());
        m.put("queued_per_replica", perReplica);
        List<Map<String, Object>> deepest = depthByKey.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(5)
                .map(e -> Map.<String, Object>of("key", e.getKey(), "queued_writes", e.getValue()))
                .toList();
        m.put("deepest_keys", deepest);
        return m;
    }

    /** One key's lanes, one per replica. Only touched inside the key's {@code compute}. */
    private static final class KeyQueue {
        final Map<String, ArrayDeque<OrderTicket>> lanes = new HashMap<>(4);
        int writes;
    }
}
