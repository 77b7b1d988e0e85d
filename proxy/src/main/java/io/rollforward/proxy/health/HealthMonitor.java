package io.rollforward.proxy.health;

import io.netty.channel.EventLoopGroup;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.process.CommandRunner;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.ordering.OutOfStepSink;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaSet;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.function.Consumer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Everything that decides whether replicas are in service: per-replica {@link ReplicaHealth},
 * active checks, passive outlier detection (fed by {@link #exchangeEvents()}), and the agents'
 * heartbeats (fed through {@link #health(String)} by the agent listener).
 */
public final class HealthMonitor implements AutoCloseable, OutOfStepSink {
    private final Map<Replica, ReplicaHealth> byReplica = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "health");
        t.setDaemon(true);
        return t;
    });
    private final CommandRunner rejoinHooks = CommandRunner.concurrent("rejoin-hook");
    private final ActiveChecker checker = new ActiveChecker(scheduler);
    private final PassiveOutlierDetector passive;
    private AgentListener agentListener;

    public HealthMonitor(RollforwardConfig config, ReplicaSet replicas) {
        for (Replica r : replicas.all()) {
            byReplica.put(r, new ReplicaHealth(r, replicas, rejoinHooks));
        }
        this.passive = new PassiveOutlierDetector(config.ejectAfter(), config.ejectionTime(), Map.copyOf(byReplica), scheduler,
                () -> replicas.inService().size());
    }

    /**
     * Starts listening for agent heartbeats (when {@code agents} is configured) on {@code group}.
     *
     * @param rejected counts dropped heartbeat packets by reason
     * @throws IllegalStateException when the key file cannot be used
     */
    public void listenForAgents(RollforwardConfig config, EventLoopGroup group, Consumer<String> rejected) {
        config.agents().ifPresent(agents -> {
            Map<String, List<ReplicaHealth>> byAgent = new LinkedHashMap<>();
            for (ReplicaHealth h : byReplica.values()) {
                h.replica().config().agent().ifPresent(node -> byAgent.computeIfAbsent(node, n -> new ArrayList<>()).add(h));
            }
            agentListener = new AgentListener(agents, byAgent, group, rejected);
        });
    }

    /** Each replica agent's liveness, for /status; empty without {@code agents}. */
    public Map<String, String> agents() {
        return agentListener == null ? Map.of() : agentListener.liveness();
    }

    /** Where agent heartbeats are received, when configured. */
    public Optional<InetSocketAddress> agentAddress() {
        return Optional.ofNullable(agentListener).map(AgentListener::localAddress);
    }

    /** Starts the active checks. */
    public void start() {
        for (ReplicaHealth h : byReplica.values()) {
            h.replica().config().check().ifPresent(check -> checker.watch(h, check));
        }
    }

    /** What exchanges report, for passive health. */
    public ExchangeEvents exchangeEvents() {
        return passive;
    }

    public Optional<ReplicaHealth> health(String replica) {
        return byReplica.values().stream().filter(h -> h.replica().name().equals(replica)).findFirst();
    }

    /** An exchange found {@code replica} out of step: DOWN until its rejoin policy resyncs it. */
    @Override
    public void outOfStep(String replica, String reason) {
        health(replica).ifPresent(h -> h.outOfStep(reason));
    }

    /** {@code POST /replicas/{name}/rejoin}: null on success, else why not. */
    public Optional<String> rejoin(String replica) {
        return health(replica).map(h -> {
            String refusal = h.adminRejoin();
            return refusal == null ? "" : refusal;
        });
    }

    /** The replicas' health for {@code /status}, in priority order. */
    public List<Map<String, Object>> status() {
        return byReplica.values().stream().map(ReplicaHealth::status).toList();
    }

    @Override
    public void close() {
        if (agentListener != null) {
            agentListener.close();
        }
        checker.close();
        scheduler.shutdownNow();
        rejoinHooks.close();
    }
}
