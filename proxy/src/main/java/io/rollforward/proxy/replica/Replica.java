package io.rollforward.proxy.replica;

import io.rollforward.config.ReplicaConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One web server behind the proxy: its place in the priority order, its connection pool and
 * whether it is in service. Health sources (heartbeats, active and passive checks) flip
 * {@link #inService()} through the {@link ReplicaSet}. A replica is known by its name and address:
 * a reload that keeps both keeps this object, its pool and its state.
 */
public final class Replica {
    private volatile ReplicaConfig config;
    private volatile int priority;
    private final ReplicaPool pool;
    private volatile boolean inService = true;

    public Replica(ReplicaConfig config, int priority, ReplicaPool pool) {
        this.config = Objects.requireNonNull(config);
        this.priority = priority;
        this.pool = Objects.requireNonNull(pool);
    }

    public String name() {
        return config.name();
    }

    public ReplicaConfig config() {
        return config;
    }

    /** 0 for the configured master, then 1, 2, ... in config order. */
    public int priority() {
        return priority;
    }

    /**
     * A reload kept this replica (same name and address): its other settings (check, rejoin,
     * agent) and its place in the order come from the new config; pool and health stay.
     */
    void reconfigure(ReplicaConfig next, int nextPriority) {
        if (!next.name().equals(config.name()) || !next.address().equals(config.address())) {
            throw new IllegalArgumentException("replica " + config.name() + ": a kept replica keeps its name and address");
        }
        config = next;
        priority = nextPriority;
    }

    public ReplicaPool pool() {
        return pool;
    }

    /** True while the replica takes requests (UP, and admitted back by its rejoin policy). */
    public boolean inService() {
        return inService;
    }

    void inService(boolean value) {
        inService = value;
    }

    /** Those of {@code replicas} in service, in their order. */
    static List<Replica> inServiceOf(List<Replica> replicas) {
        List<Replica> list = new ArrayList<>(replicas.size());
        for (Replica r : replicas) {
            if (r.inService()) {
                list.add(r);
            }
        }
        return list;
    }

    @Override
    public String toString() {
        return name();
    }
}
