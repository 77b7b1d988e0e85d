package io.rollforward.proxy.exchange;

import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per interval for one kind of event, with the number left out since the
 * last line (the way Armeria sums repeated warnings), so a systematic fault cannot flood the log.
 * Thread-safe and lock-free: called from every event loop.
 */
public final class LogThrottle {
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public LogThrottle(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /**
     * -1 when this event is not to be logged (it is counted for the next line); otherwise log it,
     * with the returned number of events left out since the last line.
     */
    public long admit() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return suppressed.getAndSet(0);
        }
        suppressed.incrementAndGet();
        return -1;
    }

    /** {@code " (+N more in the last Ts)"} for {@code more > 0}, else empty. */
    public String more(long more) {
        return more > 0 ? " (+" + more + " more in the last "
                + io.rollforward.config.DurationValue.format(java.time.Duration.ofNanos(intervalNanos)) + ")" : "";
    }
}
