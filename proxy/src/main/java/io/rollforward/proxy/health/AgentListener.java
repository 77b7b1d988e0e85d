package io.rollforward.proxy.health;

import io.netty.channel.EventLoopGroup;
import io.rollforward.config.AgentsConfig;
import io.rollforward.heartbeat.AuthKey;
import io.rollforward.heartbeat.AuthKeyException;
import io.rollforward.heartbeat.FailureDetector;
import io.rollforward.heartbeat.HeartbeatCodec;
import io.rollforward.heartbeat.HeartbeatEvents;
import io.rollforward.heartbeat.Liveness;
import io.rollforward.heartbeat.NodeState;
import io.rollforward.heartbeat.RejectReason;
import io.rollforward.heartbeat.udp.UdpHeartbeatTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the signed heartbeats of the replicas' {@code rollforward agent}s and turns the failure
 * detector's verdicts into {@link HealthSource#AGENT} reports: silent for {@code deadtime} (or
 * never heard within {@code initdead}) → DOWN; reported DOWN by its local check → DOWN at once;
 * heard again and reporting UP → UP. The seed's "heartbeat marks the master failed".
 *
 * <p>Datagrams, decoding and the detector all run on one event loop of the given group.
 */
final class AgentListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentListener.class);

    private final UdpHeartbeatTransport transport;
    private final ScheduledFuture<?> checks;
    private final FailureDetector detector;

    /**
     * @param byAgent   agent node name → the replicas it speaks for now (read at each verdict, so a
     *                  reload's replicas are heard); the nodes to watch from the start
     * @param rejected  called with each dropped packet's reason tag (metrics)
     * @throws IllegalStateException when the key file cannot be used
     */
    AgentListener(AgentsConfig config, Function<String, List<ReplicaHealth>> byAgent, Set<String> nodes,
                  EventLoopGroup group, Consumer<String> rejected) {
        AuthKey key;
        try {
            key = AuthKey.read(config.keyFile());
        } catch (AuthKeyException e) {
            throw new IllegalStateException("agents.key-file: " + e.getMessage(), e);
        }
        HeartbeatEvents events = new HeartbeatEvents() {
            @Override
            public void rejected(RejectReason reason) {
                rejected.accept(reason.tag());
            }

            @Override
            public void nodeChanged(String node, Liveness from, Liveness to) {
                if (to == Liveness.STARTING) {
                    return;
                }
                boolean up = to.isUp();
                String why = switch (to) {
                    case DEAD -> from == Liveness.STARTING
                            ? "no heartbeat within initdead " + config.timing().initdead().toMillis() + "ms"
                            : "no heartbeat for deadtime " + config.timing().deadtime().toMillis() + "ms";
                    case REPORTED_DOWN -> "agent reports its web server DOWN";
                    default -> "agent heartbeats resumed";
                };
                for (ReplicaHealth h : byAgent.apply(node)) {
                    h.report(HealthSource.AGENT, up, why);
                }
            }

            @Override
            public void reportedStateChanged(String node, NodeState from, NodeState to) {
                if (to == NodeState.DOWN) {
                    for (ReplicaHealth h : byAgent.apply(node)) {
                        h.report(HealthSource.AGENT, false, "agent reports its web server DOWN");
                    }
                }
            }
        };
        Duration maxAge = config.timing().deadtime();
        this.detector = new FailureDetector(config.timing(), events);
        this.transport = UdpHeartbeatTransport.listen(group, config.listen(), new HeartbeatCodec(key, maxAge, events),
                detector::onHeartbeat);
        transport.eventLoop().submit(() -> nodes.forEach(n -> detector.watch(n, FailureDetector.DEFAULT_LINK)))
                .syncUninterruptibly();
        this.checks = detector.scheduleChecks(transport.eventLoop());
        log.info("listening for agent heartbeats on {} from {}", transport.localAddress(), nodes);
    }

    /** Also watches {@code nodes} (agents of replicas a reload added); watching one again is a no-op. */
    void watch(Set<String> nodes) {
        transport.eventLoop().execute(() -> nodes.forEach(n -> detector.watch(n, FailureDetector.DEFAULT_LINK)));
    }

    /** Each agent's liveness as the failure detector sees it (ALIVE, LATE, DEAD, REPORTED_DOWN, STARTING). */
    Map<String, String> liveness() {
        Map<String, String> m = new java.util.TreeMap<>();
        detector.statuses().forEach((node, status) -> m.put(node, status.liveness().name()));
        return m;
    }

    InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    @Override
    public void close() {
        checks.cancel(false);
        transport.close();
    }
}
