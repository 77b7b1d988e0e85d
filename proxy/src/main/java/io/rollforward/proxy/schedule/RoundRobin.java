package io.rollforward.proxy.schedule;

import java.util.List;

/** IPVS {@code rr}: the next group in the schedule after the last one chosen. */
public final class RoundRobin implements GroupScheduler {
    private int last = -1;

    @Override
    public synchronized int pick(List<? extends Schedulable> groups, String target) {
        int n = groups.size();
        for (int step = 1; step <= n; step++) {
            int i = Math.floorMod(last + step, n);
            if (groups.get(i).inSchedule()) {
                last = i;
                return i;
            }
        }
        return -1;
    }
}
