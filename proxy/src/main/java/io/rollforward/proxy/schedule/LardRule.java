package io.rollforward.proxy.schedule;

import java.util.List;

/**
 * LARD's move condition (Pai et al., ASPLOS 1998, section 2.2): a target leaves its group when the
 * group's load is above {@code T_high} while some group is below {@code T_low}, or in any case when
 * it reaches {@code 2 * T_high} (past that, locality is not worth the delay).
 *
 * @param tLow  lightly loaded below this many exchanges in flight
 * @param tHigh overloaded above this many
 */
record LardRule(int tLow, int tHigh) {
    LardRule {
        if (tLow < 1 || tHigh <= tLow) {
            throw new IllegalArgumentException("t-low " + tLow + ", t-high " + tHigh + " (expected: 1 <= t-low < t-high)");
        }
    }

    /** Whether a target on group {@code index} should go elsewhere. */
    boolean overloaded(List<? extends Schedulable> groups, int index) {
        int load = groups.get(index).load();
        if (load >= 2 * tHigh) {
            return true;
        }
        if (load <= tHigh) {
            return false;
        }
        for (Schedulable g : groups) {
            if (g.inSchedule() && g.load() < tLow) {
                return true;
            }
        }
        return false;
    }
}
