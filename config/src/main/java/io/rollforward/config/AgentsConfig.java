package io.rollforward.config;

import java.nio.file.Path;

/**
 * Where the proxy listens for signed heartbeats from {@code rollforward agent} processes beside
 * each replica. A replica whose {@link ReplicaConfig#agent()} is set is DOWN when its agent is
 * silent for {@code timing.deadtime} or reports DOWN.
 *
 * @param listen  UDP address to receive on (default 0.0.0.0:694)
 * @param keyFile shared key (authkeys); must not be world-readable
 * @param timing  keepalive/warntime/deadtime/initdead
 */
public record AgentsConfig(HostPort listen, Path keyFile, Timing timing) {
}
