package io.rollforward.proxy.schedule;

import io.netty.handler.codec.http.HttpRequest;
import io.rollforward.config.GroupConfig;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.SchedulerKind;
import io.rollforward.config.Scheduling;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaGroup;
import io.rollforward.proxy.replica.ReplicaSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica groups and their scheduler: picks the group of each request (called on event loops,
 * never blocks). A group whose replicas are all out of service leaves the schedule at once and
 * returns with them, as ldirectord removes and re-adds a real server; LARD's targets then move.
 */
public final class GroupDispatcher {
    private static final Logger log = LoggerFactory.getLogger(GroupDispatcher.class);

    private final SchedulerKind kind;
    private final List<ReplicaGroup> groups;
    private final GroupScheduler scheduler;
    private final Function<HttpRequest, String> target;

    GroupDispatcher(SchedulerKind kind, List<ReplicaGroup> groups, GroupScheduler scheduler,
                    Function<HttpRequest, String> target) {
        this.kind = kind;
        this.groups = List.copyOf(groups);
        this.scheduler = scheduler;
        this.target = target;
    }

    /** The configured groups over {@code replicas}' own Replica objects. */
    public static GroupDispatcher from(Scheduling scheduling, ReplicaSet replicas) {
        return from(scheduling, replicas.all());
    }

    /**
     * The configured groups over the given Replica objects (a reload's new set, before it runs).
     *
     * @throws IllegalArgumentException if a group names a replica that is not among them
     */
    public static GroupDispatcher from(Scheduling scheduling, List<Replica> replicas) {
        List<ReplicaGroup> groups = new ArrayList<>();
        for (GroupConfig g : scheduling.groups()) {
            List<Replica> members = new ArrayList<>();
            for (ReplicaConfig r : g.replicas()) {
                members.add(replicas.stream().filter(m -> m.name().equals(r.name())).findFirst().orElseThrow(
                        () -> new IllegalArgumentException("group " + g.name() + ": no replica " + r.name())));
            }
            groups.add(new ReplicaGroup(g.name(), g.weight(), members));
        }
        GroupScheduler scheduler = GroupSchedulers.of(scheduling.scheduler(), scheduling.lard(), System::nanoTime);
        return new GroupDispatcher(scheduling.scheduler(), groups, scheduler, RequestTarget.of(scheduling.lard()));
    }

    /** Every replica of {@code replicas} as one group, weight 1 (today's behaviour; tests). */
    public static GroupDispatcher oneGroup(ReplicaSet replicas) {
        return new GroupDispatcher(SchedulerKind.WLC,
                List.of(new ReplicaGroup(GroupConfig.DEFAULT_NAME, GroupConfig.DEFAULT_WEIGHT, replicas.all())),
                LeastConnection.weighted(), request -> "");
    }

    /** The group for {@code request}, or null when no group is in the schedule. */
    public ReplicaGroup pick(HttpRequest request) {
        String key = kind.locality() ? target.apply(request) : "";
        int index = scheduler.pick(groups, key);
        return index < 0 ? null : groups.get(index);
    }

    public List<ReplicaGroup> groups() {
        return groups;
    }

    public Optional<ReplicaGroup> byName(String name) {
        return groups.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** {@code POST /groups/{name}/weight}; false when there is no such group. */
    public boolean setWeight(String name, int weight) {
        Optional<ReplicaGroup> group = byName(name);
        group.ifPresent(g -> {
            int before = g.weight();
            g.weight(weight);
            log.warn("group {}: weight {} -> {}{}", name, before, weight, weight == 0 ? " (quiesced)" : "");
        });
        return group.isPresent();
    }

    public GroupScheduler scheduler() {
        return scheduler;
    }

    /** True while an exchange of one of these groups is in flight (a reload waits for them to end). */
    public boolean busy() {
        for (ReplicaGroup g : groups) {
            if (g.load() > 0) {
                return true;
            }
        }
        return false;
    }

    /** For {@code GET /status}: the scheduler, each group's weight, in-flight and state, the LARD table size. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scheduler", kind.configName());
        List<Map<String, Object>> list = new ArrayList<>();
        for (ReplicaGroup g : groups) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("name", g.name());
            one.put("weight", g.weight());
            one.put("inflight", g.load());
            one.put("state", g.state());
            one.put("requests", g.requests());
            one.put("replicas", g.all().stream().map(Replica::name).toList());
            list.add(one);
        }
        m.put("groups", list);
        if (kind.locality()) {
            m.put("lard_table_entries", scheduler.tableEntries());
            m.put("lard_reassignments", scheduler.reassignments());
        }
        return m;
    }
}
