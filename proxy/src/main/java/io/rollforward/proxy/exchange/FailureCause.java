package io.rollforward.proxy.exchange;

/**
 * Why a replica failed one request; the {@code cause} tag of {@code rollforward_rollforwards_total}.
 */
public enum FailureCause {
    /** No full reply within {@code per-request-timeout}. */
    TIMEOUT,
    /** The connection was reset or closed before a full reply. */
    RESET,
    /** The connection could not be opened. */
    CONNECT,
    /** The reply's status is listed in {@code fail-on-status}. */
    STATUS,
    /** The replica was marked DOWN (heartbeat, active or passive check) while the request was in flight. */
    REPLICA_DOWN,
    /** Held back from the backup by the query-of-death guard: the master died on this very request. */
    QUARANTINED;

    /** The Prometheus tag value. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
