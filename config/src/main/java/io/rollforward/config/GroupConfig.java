package io.rollforward.config;

import java.util.List;
import java.util.Objects;

/**
 * One replica group: a master+backup set that runs, as a whole, every request the scheduler sends
 * to it ({@code groups[]} in YAML; a file with a top-level {@code replicas} list has one group).
 *
 * @param name     unique; the {@code group} tag of metrics and the key of {@code /groups/{name}/weight}
 * @param weight   share for wrr/wlc; 0 = quiesced: no new requests, in-flight ones finish (default 1)
 * @param replicas two or more, in priority order
 */
public record GroupConfig(String name, int weight, List<ReplicaConfig> replicas) {
    /** The group a plain top-level {@code replicas} list makes. */
    public static final String DEFAULT_NAME = "default";
    public static final int DEFAULT_WEIGHT = 1;

    public GroupConfig {
        Objects.requireNonNull(name, "name");
        replicas = List.copyOf(replicas);
    }
}
