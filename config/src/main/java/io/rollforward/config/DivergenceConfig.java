package io.rollforward.config;

import java.util.List;
import java.util.Locale;

/**
 * What counts as two replicas' replies differing, and what a differing write does.
 *
 * @param compareHeaders response headers whose values must match too (default none: status and
 *                       body only)
 * @param ignoreBody     regular expressions (Java syntax) whose matches are blanked in both bodies
 *                       before they are compared, for bodies up to {@code limits.max-compare-body}
 *                       (default none)
 * @param onWrite        what an ordered write whose replies differ in status does to the replica
 *                       whose reply was not sent (default {@link OnWrite#LOG})
 */
public record DivergenceConfig(List<String> compareHeaders, List<String> ignoreBody, OnWrite onWrite) {
    public static final DivergenceConfig DEFAULT = new DivergenceConfig(List.of(), List.of(), OnWrite.LOG);

    public DivergenceConfig {
        compareHeaders = List.copyOf(compareHeaders);
        ignoreBody = List.copyOf(ignoreBody);
    }

    /** What a write whose replies differ in status does. */
    public enum OnWrite {
        /** Count it and log a sample (default). */
        LOG,
        /** Also take the diverging replica out of step (DOWN until its rejoin policy brings it back). */
        EJECT;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
