package io.rollforward.proxy.accesslog;

import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.ExchangeSummary;
import io.rollforward.proxy.exchange.LogThrottle;
import io.rollforward.proxy.front.FrontEvents;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs at WARN each 5xx the proxy answers itself, with its cause: every replica failed (502/504,
 * with each replica's cause), no replica in service (503), a loop (508). Access log or not, an
 * operator sees in the log why clients got errors. At most one line a second per status, with the
 * number left out, so an outage does not flood the log.
 */
public final class OwnErrorWarnings implements ExchangeEvents {
    private static final Logger log = LoggerFactory.getLogger(OwnErrorWarnings.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Map<Integer, LogThrottle> byStatus = new ConcurrentHashMap<>();

    @Override
    public void exchangeEnded(ExchangeSummary s) {
        if (!s.proxysOwnError()) {
            return;
        }
        LogThrottle throttle = throttle(s.status());
        long more = throttle.admit();
        if (more >= 0) {
            log.warn("{} for {} {} from {}: {}{}", s.status(), s.method(), s.target(), s.clientAddress(),
                    s.failureDetail() != null ? s.failureDetail() : s.cause() == null ? "-" : s.cause().tag(),
                    throttle.more(more));
        }
    }

    /** The front's own 5xx refusals (its other refusals are the client's fault, counted only). */
    public void rejected(String reason) {
        int status = switch (reason) {
            case FrontEvents.NO_REPLICA -> 503;
            case FrontEvents.LOOP -> 508;
            default -> 0;
        };
        if (status == 0) {
            return;
        }
        LogThrottle throttle = throttle(status);
        long more = throttle.admit();
        if (more >= 0) {
            log.warn("{} at the front: {}{}", status, reason.equals(FrontEvents.LOOP)
                    ? "loop: a request came back with this proxy's Via (does a replica URL lead back to the proxy?)"
                    : "no replica is in service", throttle.more(more));
        }
    }

    private LogThrottle throttle(int status) {
        return byStatus.computeIfAbsent(status, k -> new LogThrottle(INTERVAL_NANOS));
    }
}
