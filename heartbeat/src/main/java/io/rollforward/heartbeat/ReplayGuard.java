package io.rollforward.heartbeat;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Remembers, per sender node, the last accepted (generation, sequence) and accepts only a strictly
 * greater pair: Linux-HA heartbeat's replay defence, where the generation (boot time) lets a
 * restarted sender begin again at sequence 1.
 *
 * <p>Thread-safe: a serial link may decode on its own thread.
 */
final class ReplayGuard {
    private record Mark(long generation, long sequence) {
        boolean isBefore(long gen, long seq) {
            return generation < gen || (generation == gen && sequence < seq);
        }
    }

    private final ConcurrentMap<String, Mark> last = new ConcurrentHashMap<>();

    /**
     * Records (generation, sequence) for {@code node} if it is newer than the last one.
     *
     * @return false if it is not newer (a replay), leaving the record as it was
     */
    boolean advance(String node, long generation, long sequence) {
        boolean[] fresh = {true};
        last.compute(node, (n, mark) -> {
            if (mark != null && !mark.isBefore(generation, sequence)) {
                fresh[0] = false;
                return mark;
            }
            return new Mark(generation, sequence);
        });
        return fresh[0];
    }

    /** Would (generation, sequence) be accepted now? Does not record it. */
    boolean isNew(String node, long generation, long sequence) {
        Mark mark = last.get(node);
        return mark == null || mark.isBefore(generation, sequence);
    }
}
