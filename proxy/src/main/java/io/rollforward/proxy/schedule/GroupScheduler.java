package io.rollforward.proxy.schedule;

import java.util.List;

/**
 * Picks the group for one request. Implementations keep their state (round-robin position, LARD
 * table) under their own monitor: picks come from every event loop, and the critical section is a
 * few comparisons, as under IPVS's {@code sched_lock}.
 */
public interface GroupScheduler {
    /**
     * @param groups the groups in configured order, the same list on every call
     * @param target what names the request for locality (LARD); ignored by the IPVS schedulers
     * @return the index of the chosen group, or -1 when no group is in the schedule
     */
    int pick(List<? extends Schedulable> groups, String target);

    /** Targets the scheduler remembers (LARD's table); 0 for the others. */
    default long tableEntries() {
        return 0;
    }

    /** Targets moved to (or, for LARD/R, added to) another group because of load or a group leaving. */
    default long reassignments() {
        return 0;
    }
}
