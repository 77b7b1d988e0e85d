package io.rollforward.config;

import java.util.Locale;

/**
 * How requests are spread over replica groups (top-level {@code scheduler}). The first four follow
 * the Linux IPVS schedulers of the same names, with "connections" read as the group's exchanges in
 * flight; the last two are Pai et al.'s locality-aware request distribution (ASPLOS 1998).
 */
public enum SchedulerKind {
    /** Round robin over the groups in schedule. */
    RR("rr"),
    /** Weighted round robin, IPVS's gcd / max-weight stepping. */
    WRR("wrr"),
    /** Least in-flight exchanges. */
    LC("lc"),
    /** Least in-flight exchanges per unit of weight (the default). */
    WLC("wlc"),
    /** Each target (path, ...) sticks to one group until that group is overloaded. */
    LARD("lard"),
    /** LARD with replication: each target maps to a set of groups that grows and shrinks with load. */
    LARD_R("lard-r");

    private final String configName;

    SchedulerKind(String configName) {
        this.configName = configName;
    }

    /** The name written in the file, e.g. {@code lard-r}. */
    public String configName() {
        return configName;
    }

    /** Whether the {@code lard} section applies. */
    public boolean locality() {
        return this == LARD || this == LARD_R;
    }

    /** @throws IllegalArgumentException for a name that is not one of {@link #configName()} */
    public static SchedulerKind parse(String text) {
        for (SchedulerKind k : values()) {
            if (k.configName.equals(text.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException(text);
    }
}
