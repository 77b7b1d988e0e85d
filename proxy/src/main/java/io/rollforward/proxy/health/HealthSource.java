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
    ADMIN;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
