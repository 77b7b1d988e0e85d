package io.rollforward.proxy.exchange;

import java.util.Locale;

/**
 * Why a client's reply could not be completed after its head went out; the {@code reason} tag of
 * {@code rollforward_uncovered_total}. The client's connection is closed (never a wrong body).
 */
public enum UncoveredReason {
    /** The other replies differ from the bytes sent (status, framing, or the body's prefix). */
    DIVERGED,
    /** No other replica was running the request (it failed too, was held back, or mirror is off). */
    NO_BACKUP;

    /** The Prometheus tag value. */
    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
