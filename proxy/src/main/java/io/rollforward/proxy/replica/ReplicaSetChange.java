package io.rollforward.proxy.replica;

import io.rollforward.config.ReplicaConfig;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a reload does to the {@link ReplicaSet}, worked out by {@link ReplicaSet#plan} before
 * anything changes and applied by {@link ReplicaSet#install}. A replica whose name and address are
 * both unchanged is kept (the same {@link Replica}: its pool, its state, its meters); one that is
 * new, or whose address changed, is added with a pool of its own; one the new config lacks is
 * retired.
 */
public final class ReplicaSetChange {
    private final List<ReplicaConfig> configs;
    private final List<Replica> next;
    private final List<Replica> added;
    private final List<Replica> kept;
    private final List<Replica> retired;
    private final Map<Replica, ReplicaConfig> keptWere = new IdentityHashMap<>();

    ReplicaSetChange(List<ReplicaConfig> configs, List<Replica> next, List<Replica> before) {
        this.configs = List.copyOf(configs);
        this.next = List.copyOf(next);
        List<Replica> newOnes = new ArrayList<>();
        List<Replica> same = new ArrayList<>();
        for (Replica r : next) {
            (before.contains(r) ? same : newOnes).add(r);
        }
        this.added = List.copyOf(newOnes);
        this.kept = List.copyOf(same);
        same.forEach(r -> keptWere.put(r, r.config()));
        this.retired = before.stream().filter(r -> !next.contains(r)).toList();
    }

    /** The replicas after the change, in the new priority order. */
    public List<Replica> next() {
        return next;
    }

    /** Replicas that were not running before (fresh pool, no verdicts yet). */
    public List<Replica> added() {
        return added;
    }

    /** Replicas that carry on (same name and address). */
    public List<Replica> kept() {
        return kept;
    }

    /** Replicas the new config no longer has (or has at another address). */
    public List<Replica> retired() {
        return retired;
    }

    /** A kept replica's config before the change (its check, rejoin and agent may differ now). */
    public ReplicaConfig configBefore(Replica kept) {
        return keptWere.get(kept);
    }

    /** The config of each replica of {@link #next()}, in the same order. */
    List<ReplicaConfig> configs() {
        return configs;
    }

    /** True when replicas are added or retired (not only kept ones reconfigured). */
    public boolean changesMembers() {
        return !added.isEmpty() || !retired.isEmpty();
    }

    /** For the log: {@code added a, b; retired c}, or {@code replicas unchanged}. */
    public String summary() {
        if (!changesMembers()) {
            return "replicas unchanged";
        }
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added " + String.join(", ", added.stream().map(Replica::name).toList()));
        }
        if (!retired.isEmpty()) {
            parts.add("retired " + String.join(", ", retired.stream().map(Replica::name).toList()));
        }
        return String.join("; ", parts);
    }
}
