package io.rollforward.proxy.schedule;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * IPVS {@code lc} and {@code wlc}. {@code lc}: the group in the schedule with the fewest exchanges in
 * flight. {@code wlc}: the fewest per unit of weight, compared without division as
 * {@code load(i) * w(j) < load(j) * w(i)} ({@code ip_vs_wlc.c}). Ties go to the earlier group.
 */
public final class LeastConnection implements GroupScheduler {
    private final boolean weighted;

    private LeastConnection(boolean weighted) {
        this.weighted = weighted;
    }

    /** IPVS {@code lc}. */
    public static LeastConnection plain() {
        return new LeastConnection(false);
    }

    /** IPVS {@code wlc}. */
    public static LeastConnection weighted() {
        return new LeastConnection(true);
    }

    @Override
    public int pick(List<? extends Schedulable> groups, String target) {
        return weighted ? leastWeighted(groups, i -> true) : least(groups);
    }

    private static int least(List<? extends Schedulable> groups) {
        int best = -1;
        int bestLoad = 0;
        for (int i = 0; i < groups.size(); i++) {
            Schedulable g = groups.get(i);
            if (g.inSchedule()) {
                int load = g.load();
                if (best < 0 || load < bestLoad) {
                    best = i;
                    bestLoad = load;
                }
            }
        }
        return best;
    }

    /**
     * The {@code wlc} choice among the groups in the schedule that {@code among} accepts; -1 if none.
     * LARD's "least loaded group" is this one too, so weights keep their meaning under LARD.
     */
    static int leastWeighted(List<? extends Schedulable> groups, IntPredicate among) {
        int best = -1;
        long bestLoad = 0;
        long bestWeight = 0;
        for (int i = 0; i < groups.size(); i++) {
            Schedulable g = groups.get(i);
            if (!among.test(i) || !g.inSchedule()) {
                continue;
            }
            long load = g.load();
            long weight = g.weight();
            if (weight <= 0) {
                continue; // read again: the weight may have changed since inSchedule()
            }
            if (best < 0 || load * bestWeight < bestLoad * weight) {
                best = i;
                bestLoad = load;
                bestWeight = weight;
            }
        }
        return best;
    }
}
