package io.rollforward.heartbeat.udp;

import io.rollforward.heartbeat.RejectReason;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Turns a stream of rejected datagrams into few log lines: the first one at once (a node with the
 * wrong key should be visible immediately), then one summary per interval with counts per reason
 * and the senders seen, as Armeria's ConnectionLimitingHandler sums repeated warnings. A flood
 * of forged packets thus cannot flood the log; the exact numbers are in the metrics.
 *
 * <p>Not thread-safe: used by one channel's handler, on its event loop.
 */
final class RejectionSummary {
    private static final int MAX_SENDERS = 5;

    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private final Map<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);
    private final Set<String> senders = new LinkedHashSet<>();
    private long lastLogged;
    private boolean loggedOnce;

    RejectionSummary(LongSupplier nanoTime, Duration interval) {
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
    }

    /** Records one rejection; answers the line to log now, if one is due. */
    Optional<String> record(RejectReason reason, InetSocketAddress sender) {
        long now = nanoTime.getAsLong();
        if (!loggedOnce) {
            loggedOnce = true;
            lastLogged = now;
            return Optional.of("Dropped a heartbeat from " + sender + ": " + reason.tag()
                    + " (further drops are summed once per " + Duration.ofNanos(intervalNanos).toSeconds() + " s)");
        }
        counts.merge(reason, 1, Integer::sum);
        if (senders.size() < MAX_SENDERS) {
            senders.add(String.valueOf(sender));
        }
        if (now - lastLogged < intervalNanos) {
            return Optional.empty();
        }
        StringBuilder line = new StringBuilder("Dropped heartbeats in the last ")
                .append(Duration.ofNanos(now - lastLogged).toSeconds()).append(" s:");
        counts.forEach((r, n) -> line.append(' ').append(r.tag()).append('=').append(n));
        line.append(" from ").append(senders).append(senders.size() == MAX_SENDERS ? " and maybe others" : "");
        counts.clear();
        senders.clear();
        lastLogged = now;
        return Optional.of(line.toString());
    }
}
