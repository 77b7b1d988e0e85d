package io.rollforward.proxy.exchange;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs at most one divergence sample per interval, with the number of divergences since the last
 * line (the way Armeria sums repeated warnings), so a systematic difference cannot flood the log.
 */
public final class DivergenceLog {
    private static final Logger log = LoggerFactory.getLogger(DivergenceLog.class);

    private final LogThrottle throttle;

    public DivergenceLog(long intervalNanos) {
        this.throttle = new LogThrottle(intervalNanos);
    }

    void record(DivergenceKind kind, String method, String uri, String sent, String other) {
        long more = throttle.admit();
        if (more >= 0) {
            log.warn("divergence ({}) on {} {}: sent {} but {}{}", kind.tag(), method, uri, sent, other, throttle.more(more));
        }
    }
}
