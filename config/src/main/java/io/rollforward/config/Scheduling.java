package io.rollforward.config;

import java.util.List;

/**
 * Which group runs each request: the groups in file order, the scheduler, and LARD's settings.
 *
 * @param scheduler top-level {@code scheduler} (default wlc)
 * @param groups    one or more; a file with a top-level {@code replicas} list has one, named
 *                  {@value GroupConfig#DEFAULT_NAME}
 * @param lard      the {@code lard} section (default {@link LardConfig#DEFAULT})
 */
public record Scheduling(SchedulerKind scheduler, List<GroupConfig> groups, LardConfig lard) {
    public static final SchedulerKind DEFAULT_SCHEDULER = SchedulerKind.WLC;

    public Scheduling {
        groups = List.copyOf(groups);
    }

    /** One group of {@code replicas}, weight 1, default scheduler. */
    public static Scheduling oneGroup(List<ReplicaConfig> replicas) {
        return new Scheduling(DEFAULT_SCHEDULER,
                List.of(new GroupConfig(GroupConfig.DEFAULT_NAME, GroupConfig.DEFAULT_WEIGHT, replicas)),
                LardConfig.DEFAULT);
    }

    /** Every group's replicas, group after group. */
    public List<ReplicaConfig> allReplicas() {
        return groups.stream().flatMap(g -> g.replicas().stream()).toList();
    }
}
