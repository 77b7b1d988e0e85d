package io.rollforward.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the locality-aware schedulers ({@code lard} section), after Pai et al., "Locality-Aware
 * Request Distribution in Cluster-based Network Servers", ASPLOS 1998.
 *
 * @param target         what names a target: the path, the path and query, or a request header
 *                       (default path)
 * @param header         the header's name when {@code target} is {@link Target#HEADER}
 * @param tLow           a group with fewer in-flight exchanges is lightly loaded (default 25)
 * @param tHigh          a target leaves a group with more while another is under {@code tLow}; it
 *                       leaves in any case at {@code 2 * tHigh} (default 65)
 * @param setShrinkAfter LARD/R: a target's set that did not change for this long loses its most
 *                       loaded member (the paper's K, default 20s)
 * @param tableSize      at most this many targets are remembered, least recently used dropped
 *                       first (default 100000)
 */
public record LardConfig(Target target, Optional<String> header, int tLow, int tHigh, Duration setShrinkAfter,
                         int tableSize) {
    /** What part of a request names its target. */
    public enum Target { PATH, PATH_AND_QUERY, HEADER }

    public static final LardConfig DEFAULT = new LardConfig(Target.PATH, Optional.empty(), 25, 65,
            Duration.ofSeconds(20), 100_000);

    public LardConfig {
        header = header == null ? Optional.empty() : header;
    }
}
