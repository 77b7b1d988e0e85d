package io.rollforward.proxy.replica;

import io.rollforward.proxy.schedule.Schedulable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One replica group: a master+backup set that runs every request the scheduler sends to it, with
 * its weight and its exchanges in flight. The replicas are the {@link ReplicaSet}'s own objects,
 * so health, passive ejection and rejoin work on them as before; a group is in the schedule while
 * one of them is in service and its weight is above 0.
 */
public final class ReplicaGroup implements Schedulable {
    private final String name;
    private final List<Replica> replicas;
    private final AtomicInteger weight;
    private final AtomicInteger inflight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();

    /** @param replicas in priority order */
    public ReplicaGroup(String name, int weight, List<Replica> replicas) {
        if (weight < 0) {
            throw new IllegalArgumentException("weight " + weight + " (expected: >= 0)");
        }
        this.name = name;
        this.weight = new AtomicInteger(weight);
        this.replicas = List.copyOf(replicas);
    }

    public String name() {
        return name;
    }

    /** Every replica of the group, in priority order. */
    public List<Replica> all() {
        return replicas;
    }

    /** The group's replicas in service, in priority order: the acting master first. */
    public List<Replica> inService() {
        return Replica.inServiceOf(replicas);
    }

    @Override
    public boolean available() {
        for (Replica r : replicas) {
            if (r.inService()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int weight() {
        return weight.get();
    }

    /** Sets the weight; 0 quiesces the group (no new requests, the ones in flight finish). */
    public void weight(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("weight " + value + " (expected: >= 0)");
        }
        weight.set(value);
    }

    @Override
    public int load() {
        return inflight.get();
    }

    /** An exchange was given to this group. */
    public void dispatched() {
        inflight.incrementAndGet();
        requests.increment();
    }

    /** An exchange of this group finished (every replica's copy ended). */
    public void finished() {
        inflight.decrementAndGet();
    }

    /** Exchanges given to this group since start. */
    public long requests() {
        return requests.sum();
    }

    /** {@code UP}, {@code QUIESCED} (weight 0) or {@code DOWN} (nothing in service). */
    public String state() {
        return !available() ? "DOWN" : weight() == 0 ? "QUIESCED" : "UP";
    }

    @Override
    public String toString() {
        return name;
    }
}
