package io.rollforward.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One web server behind the proxy. Replicas are listed in priority order: the first UP one
 * is the acting master, every other UP one receives a copy of each request.
 *
 * @param name    unique, used in logs, metrics ({@code replica} tag) and {@code X-Served-By}
 * @param address where to connect ({@code url: http://host:port} in YAML)
 * @param check   active health check, ldirectord-style; empty = no active check
 * @param agent   node name the replica's {@code rollforward agent} signs heartbeats with;
 *                empty = replica is not watched by heartbeats
 * @param rejoin  what happens when the replica comes back after being DOWN
 */
public record ReplicaConfig(String name, HostPort address, Optional<CheckConfig> check,
                            Optional<String> agent, RejoinConfig rejoin) {
    public ReplicaConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        check = check == null ? Optional.empty() : check;
        agent = agent == null ? Optional.empty() : agent;
        rejoin = rejoin == null ? RejoinConfig.IMMEDIATE : rejoin;
    }

    /** A replica with no active check, no agent and {@code rejoin: immediate}. */
    public static ReplicaConfig of(String name, HostPort address) {
        return new ReplicaConfig(name, address, Optional.empty(), Optional.empty(), RejoinConfig.IMMEDIATE);
    }
}
