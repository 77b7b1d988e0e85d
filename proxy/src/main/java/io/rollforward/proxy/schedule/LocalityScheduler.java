package io.rollforward.proxy.schedule;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * What LARD and LARD/R share: the move rule, the bounded target table and the count of targets
 * moved. Subclasses pick under this object's monitor.
 *
 * @param <V> what the table holds per target: a group index (LARD) or a set of groups (LARD/R)
 */
abstract class LocalityScheduler<V> implements GroupScheduler {
    protected final LardRule rule;
    protected final Cache<String, V> table;
    private long reassignments;

    LocalityScheduler(int tLow, int tHigh, int tableSize) {
        this.rule = new LardRule(tLow, tHigh);
        // Maintenance on the calling thread: no pool thread for a table touched under our monitor.
        this.table = Caffeine.newBuilder().maximumSize(tableSize).executor(Runnable::run).build();
    }

    /** A target moved to (LARD/R: was given) another group. Call under this object's monitor. */
    protected final void reassigned() {
        reassignments++;
    }

    @Override
    public final long tableEntries() {
        table.cleanUp();
        return table.estimatedSize();
    }

    @Override
    public final synchronized long reassignments() {
        return reassignments;
    }
}
