package io.rollforward.proxy.schedule;

import java.util.List;

/**
 * Basic LARD (Pai et al., ASPLOS 1998, figure 2): a target → group table. A target without an entry
 * goes to the least loaded group (the {@code wlc} choice); a target stays on its group, so that the
 * group's caches hold it, unless {@link LardRule} says the group is overloaded, or the group left
 * the schedule; then it moves to the least loaded group. The table is a bounded Caffeine cache:
 * a forgotten target is placed again as a new one.
 */
public final class Lard extends LocalityScheduler<Integer> {

    public Lard(int tLow, int tHigh, int tableSize) {
        super(tLow, tHigh, tableSize);
    }

    @Override
    public synchronized int pick(List<? extends Schedulable> groups, String target) {
        Integer assigned = table.getIfPresent(target);
        if (assigned != null && assigned < groups.size() && groups.get(assigned).inSchedule()
                && !rule.overloaded(groups, assigned)) {
            return assigned;
        }
        int least = LeastConnection.leastWeighted(groups, i -> true);
        if (least < 0) {
            return -1;
        }
        if (assigned != null && assigned != least) {
            reassigned();
        }
        table.put(target, least);
        return least;
    }
}
