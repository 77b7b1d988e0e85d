package io.rollforward.proxy.exchange;

/** How one client request ended; the {@code outcome} tag of {@code rollforward_requests_total}. */
public enum Outcome {
    /** The acting master's reply was sent. */
    MASTER,
    /** The master failed this request; a backup's reply was sent. */
    ROLLED_FORWARD,
    /** Every replica failed; the client got 502 or 504. */
    FAILED;

    /** The Prometheus tag value. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
