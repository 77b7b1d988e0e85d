package io.rollforward.heartbeat.ring;

import java.util.Comparator;

/**
 * How busy a member is, as it publishes every second: in-flight exchanges and requests per
 * second. Fewer in-flight exchanges is less loaded; equal counts compare by request rate.
 */
public record MemberLoad(int inflight, double requestsPerSecond) {
    public static final MemberLoad IDLE = new MemberLoad(0, 0);

    /** Least loaded first. */
    public static final Comparator<MemberLoad> LEAST_LOADED_FIRST = Comparator.comparingInt(MemberLoad::inflight)
            .thenComparingDouble(MemberLoad::requestsPerSecond);
}
