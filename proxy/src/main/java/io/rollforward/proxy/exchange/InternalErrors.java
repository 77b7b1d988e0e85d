package io.rollforward.proxy.exchange;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's own failures (out of buffer memory, a bug) seen while serving: counted, and logged
 * at ERROR with the exception at most once per interval with the number seen since (Armeria's
 * habit for repeated warnings), never blamed on a replica.
 */
public final class InternalErrors {
    private static final Logger log = LoggerFactory.getLogger(InternalErrors.class);

    private final long intervalNanos;
    private final AtomicLong nextLogAt = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder total = new LongAdder();
    private final LongAdder sinceLogged = new LongAdder();

    public InternalErrors(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    public void report(Throwable t) {
        total.increment();
        sinceLogged.increment();
        long now = System.nanoTime();
        long next = nextLogAt.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextLogAt.compareAndSet(next, now + intervalNanos)) {
            long n = sinceLogged.sumThenReset();
            log.error("internal error while serving ({} in the last {}s; the request was answered 503 or rolled forward,"
                    + " no replica was blamed)", n, TimeUnit.NANOSECONDS.toSeconds(intervalNanos), t);
        }
    }

    /** Internal errors since start. */
    public long total() {
        return total.sum();
    }
}
