package io.rollforward.proxy.schedule;

import java.util.BitSet;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * LARD with replication (Pai et al., ASPLOS 1998, figure 3): each target maps to a set of groups and
 * goes to the set's least loaded member. When that member is overloaded ({@link LardRule}) the least
 * loaded group of all joins the set and takes the request; when the set has not changed for
 * {@code K} ({@code set-shrink-after}) its most loaded member leaves, so a target that cooled down
 * does not keep spreading over every cache. Members that left the schedule leave the set at once.
 */
public final class LardReplicated extends LocalityScheduler<LardReplicated.TargetSet> {
    private final long shrinkAfterNanos;
    private final LongSupplier nanoTime;

    /** The groups of one target and when that set last changed. */
    static final class TargetSet {
        final BitSet members = new BitSet();
        long changedAt;
    }

    /** @param nanoTime a monotonic clock, {@code System::nanoTime} outside tests */
    public LardReplicated(int tLow, int tHigh, long shrinkAfterNanos, int tableSize, LongSupplier nanoTime) {
        super(tLow, tHigh, tableSize);
        this.shrinkAfterNanos = shrinkAfterNanos;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized int pick(List<? extends Schedulable> groups, String target) {
        long now = nanoTime.getAsLong();
        TargetSet set = table.getIfPresent(target);
        boolean changed = set != null && dropLeavers(set, groups);
        if (set == null || set.members.isEmpty()) {
            int least = LeastConnection.leastWeighted(groups, i -> true);
            if (least < 0) {
                return -1;
            }
            if (set != null) {
                reassigned(); // every group of the target left the schedule: it moves
            }
            set = new TargetSet();
            set.members.set(least);
            set.changedAt = now;
            table.put(target, set);
            return least;
        }
        BitSet members = set.members;
        int chosen = LeastConnection.leastWeighted(groups, members::get);
        int mostLoaded = mostLoaded(groups, members, chosen);
        if (rule.overloaded(groups, chosen)) {
            int least = LeastConnection.leastWeighted(groups, i -> true);
            if (!members.get(least)) {
                members.set(least);
                reassigned();
                changed = true;
            }
            chosen = least;
        }
        if (members.cardinality() > 1 && now - set.changedAt > shrinkAfterNanos && mostLoaded >= 0
                && mostLoaded != chosen) {
            members.clear(mostLoaded);
            changed = true;
        }
        if (changed) {
            set.changedAt = now;
        }
        return chosen;
    }

    private static boolean dropLeavers(TargetSet set, List<? extends Schedulable> groups) {
        boolean dropped = false;
        for (int i = set.members.nextSetBit(0); i >= 0; i = set.members.nextSetBit(i + 1)) {
            if (i >= groups.size() || !groups.get(i).inSchedule()) {
                set.members.clear(i);
                dropped = true;
            }
        }
        return dropped;
    }

    /** The member with the most load per weight, other than {@code except}; -1 if none. */
    private static int mostLoaded(List<? extends Schedulable> groups, BitSet members, int except) {
        int worst = -1;
        long worstLoad = 0;
        long worstWeight = 1;
        for (int i = members.nextSetBit(0); i >= 0; i = members.nextSetBit(i + 1)) {
            Schedulable g = groups.get(i);
            long load = g.load();
            long weight = Math.max(1, g.weight());
            if (i != except && (worst < 0 || load * worstWeight > worstLoad * weight)) {
                worst = i;
                worstLoad = load;
                worstWeight = weight;
            }
        }
        return worst;
    }
}
