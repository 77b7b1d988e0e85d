package io.rollforward.proxy.schedule;

import io.rollforward.config.LardConfig;
import io.rollforward.config.SchedulerKind;
import java.util.function.LongSupplier;

/** The scheduler a config names. */
public final class GroupSchedulers {
    private GroupSchedulers() {
    }

    public static GroupScheduler of(SchedulerKind kind, LardConfig lard, LongSupplier nanoTime) {
        return switch (kind) {
            case RR -> new RoundRobin();
            case WRR -> new WeightedRoundRobin();
            case LC -> LeastConnection.plain();
            case WLC -> LeastConnection.weighted();
            case LARD -> new Lard(lard.tLow(), lard.tHigh(), lard.tableSize());
            case LARD_R -> new LardReplicated(lard.tLow(), lard.tHigh(), lard.setShrinkAfter().toNanos(),
                    lard.tableSize(), nanoTime);
        };
    }
}
