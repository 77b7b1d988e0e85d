package io.rollforward.proxy.exchange;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs at most one divergence sample per interval, with the number of divergences since the last
 * line (the way Armeria sums repeated warnings), so a systematic difference cannot flood the log.
 */
public final class DivergenceLog {
    private static final Logger log = LoggerFactory.getLogger(DivergenceLog.class);

    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public DivergenceLog(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    void record(DivergenceKind kind, String method, String uri, String sent, String other) {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            long more = suppressed.getAndSet(0);
            log.warn("divergence ({}) on {} {}: sent {} but {}{}", kind.tag(), method, uri, sent, other,
                    more > 0 ? " (+" + more + " more in the last " + TimeUnit.NANOSECONDS.toSeconds(intervalNanos) + "s)" : "");
        } else {
            suppressed.incrementAndGet();
        }
    }
}
