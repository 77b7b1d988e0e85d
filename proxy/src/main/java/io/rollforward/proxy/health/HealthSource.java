package io.rollforward.proxy.health;

import java.util.Locale;

/** Who may mark a replica DOWN. Any one of them is enough. */
public enum HealthSource {
    /** The replica's {@code rollforward agent}: silent for deadtime, or it reported DOWN. */
    AGENT,
    /** The ldirectord-style active check failed {@code fall} times in a row. */
    ACTIVE_CHECK,
    /** {@code eject-after} consecutive requests failed on it (outlier detection). */
    PASSIVE,
    /** An operator took it out through the admin port. */
    ADMIN,
    /**
     * It failed an ordered write that another replica answered (or, with {@code divergence.on-write:
     * eject}, answered it with another status): its state may differ. Never says UP by itself; only
     * the rejoin policy (the admin call, or a hook that exits 0) clears it.
     */
    OUT_OF_STEP;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
