package io.rollforward.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The whole proxy configuration, immutable and validated ({@link ConfigLoader} builds it from
 * YAML).
 *
 * @param listen            where clients connect (required)
 * @param replicas          two or more, in priority order; the first UP one is the acting master
 * @param stagger           the backup copies are sent this long after the master's (default 0)
 * @param perRequestTimeout a replica that has not replied in full by then failed this request
 *                          (default 5s)
 * @param failOnStatus      a master reply with one of these statuses rolls forward
 *                          (default 502, 503, 504)
 * @param limits            request, header and buffer bounds
 * @param servedByHeader    header naming the replica that served the reply; empty = off
 *                          (default {@code X-Served-By})
 * @param holdBackPoison    when the master's connection dies on a request whose backup copy is
 *                          still staggered, do not send it to the backup (query-of-death guard,
 *                          default true)
 * @param ejectAfter        consecutive request failures that mark a replica DOWN (passive check);
 *                          0 = off (default 5)
 * @param divergenceLogInterval at most one divergence sample line per this interval (default 10s)
 * @param admin             the admin port
 * @param agents            heartbeat receiver for replica agents, if any
 * @param cluster           HA pair settings, if any
 */
public record RollforwardConfig(HostPort listen, List<ReplicaConfig> replicas, Duration stagger,
                                Duration perRequestTimeout, Set<Integer> failOnStatus, Limits limits,
                                Optional<String> servedByHeader, boolean holdBackPoison, int ejectAfter,
                                Duration divergenceLogInterval, AdminConfig admin,
                                Optional<AgentsConfig> agents, Optional<ClusterConfig> cluster) {

    public static final Duration DEFAULT_PER_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Set<Integer> DEFAULT_FAIL_ON_STATUS = Set.of(502, 503, 504);
    public static final String DEFAULT_SERVED_BY_HEADER = "X-Served-By";

    public RollforwardConfig {
        replicas = List.copyOf(replicas);
        failOnStatus = Set.copyOf(failOnStatus);
        servedByHeader = servedByHeader == null ? Optional.empty() : servedByHeader;
        agents = agents == null ? Optional.empty() : agents;
        cluster = cluster == null ? Optional.empty() : cluster;
    }

    /** Defaults for everything but {@code listen} and {@code replicas}; for tests and the demo. */
    public static RollforwardConfig of(HostPort listen, List<ReplicaConfig> replicas) {
        return new RollforwardConfig(listen, replicas, Duration.ZERO, DEFAULT_PER_REQUEST_TIMEOUT,
                DEFAULT_FAIL_ON_STATUS, Limits.DEFAULT, Optional.of(DEFAULT_SERVED_BY_HEADER), true, 5,
                Duration.ofSeconds(10), AdminConfig.DEFAULT, Optional.empty(), Optional.empty());
    }

    public RollforwardConfig withStagger(Duration value) {
        return new RollforwardConfig(listen, replicas, value, perRequestTimeout, failOnStatus, limits,
                servedByHeader, holdBackPoison, ejectAfter, divergenceLogInterval, admin, agents, cluster);
    }

    public RollforwardConfig withPerRequestTimeout(Duration value) {
        return new RollforwardConfig(listen, replicas, stagger, value, failOnStatus, limits,
                servedByHeader, holdBackPoison, ejectAfter, divergenceLogInterval, admin, agents, cluster);
    }

    public RollforwardConfig withLimits(Limits value) {
        return new RollforwardConfig(listen, replicas, stagger, perRequestTimeout, failOnStatus, value,
                servedByHeader, holdBackPoison, ejectAfter, divergenceLogInterval, admin, agents, cluster);
    }

    public RollforwardConfig withAdmin(AdminConfig value) {
        return new RollforwardConfig(listen, replicas, stagger, perRequestTimeout, failOnStatus, limits,
                servedByHeader, holdBackPoison, ejectAfter, divergenceLogInterval, value, agents, cluster);
    }

    public RollforwardConfig withReplicas(List<ReplicaConfig> value) {
        return new RollforwardConfig(listen, value, stagger, perRequestTimeout, failOnStatus, limits,
                servedByHeader, holdBackPoison, ejectAfter, divergenceLogInterval, admin, agents, cluster);
    }

    public RollforwardConfig withEjectAfter(int value) {
        return new RollforwardConfig(listen, replicas, stagger, perRequestTimeout, failOnStatus, limits,
                servedByHeader, holdBackPoison, value, divergenceLogInterval, admin, agents, cluster);
    }

    public RollforwardConfig withAgents(AgentsConfig value) {
        return new RollforwardConfig(listen, replicas, stagger, perRequestTimeout, failOnStatus, limits,
                servedByHeader, holdBackPoison, ejectAfter, divergenceLogInterval, admin, Optional.of(value), cluster);
    }

    public RollforwardConfig withCluster(ClusterConfig value) {
        return new RollforwardConfig(listen, replicas, stagger, perRequestTimeout, failOnStatus, limits,
                servedByHeader, holdBackPoison, ejectAfter, divergenceLogInterval, admin, agents, Optional.of(value));
    }
}
