package io.rollforward.proxy.exchange;

/**
 * Why a replica failed one request; the {@code cause} tag of {@code rollforward_rollforwards_total}.
 */
public enum FailureCause {
    /** No reply head within {@code per-request-timeout}, or a body stalled past {@code reply-idle-timeout}. */
    TIMEOUT,
    /** The connection was reset or closed before a full reply. */
    RESET,
    /** The connection could not be opened. */
    CONNECT,
    /** The reply's status is listed in {@code fail-on-status}. */
    STATUS,
    /** The replica was marked DOWN (heartbeat, active or passive check) while the request was in flight. */
    REPLICA_DOWN,
    /** Held back by the query-of-death guard: the master died on this very request, or it is quarantined. */
    QUARANTINED,
    /** The reply head was larger than {@code limits.max-response-header-size}, or malformed. */
    HEAD_TOO_LARGE,
    /** The proxy itself failed (out of buffer memory, a bug): never blamed on a replica. */
    INTERNAL,
    /** The client went away while this copy streamed to it; not the replica's fault. */
    CLIENT_GONE;

    /**
     * Whether this failure can count against the replica (passive ejection) when another replica
     * answered the same request well; the guard's, the proxy's and the client's causes never do.
     */
    public boolean replicasFault() {
        return this == TIMEOUT || this == RESET || this == CONNECT || this == STATUS || this == HEAD_TOO_LARGE;
    }

    /** The Prometheus tag value. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
