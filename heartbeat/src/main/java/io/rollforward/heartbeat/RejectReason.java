package io.rollforward.heartbeat;

/**
 * Why {@link HeartbeatCodec} dropped a datagram. One counter with a {@code reason} tag
 * ({@code rollforward_heartbeat_rejected_total{reason}}) covers them all.
 */
public enum RejectReason {
    /** Not a heartbeat: wrong magic, bad field value, trailing bytes, invalid UTF-8. */
    MALFORMED,
    /** A heartbeat cut short: fewer bytes than its header announces. */
    TRUNCATED,
    /** The HMAC-SHA256 does not match: another key, or a forged or corrupted packet. */
    BAD_MAC,
    /** (generation, sequence) not greater than the last accepted from that node. */
    REPLAYED,
    /** Signed correctly but older than the allowed age (deadtime). */
    STALE,
    /** A heartbeat format version this build does not speak. */
    UNKNOWN_VERSION;

    /** Lower-case name for metric tags and logs. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
