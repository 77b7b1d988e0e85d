package io.rollforward.proxy.exchange;

/** How the backup's reply differed from the one sent; the {@code kind} tag of {@code rollforward_divergences_total}. */
public enum DivergenceKind {
    STATUS,
    /** A header listed in {@code divergence.compare-headers}. */
    HEADER,
    BODY;

    /** The Prometheus tag value. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
