package io.rollforward.proxy.health;

import io.netty.channel.EventLoopGroup;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.process.CommandRunner;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.ordering.OutOfStepSink;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaSet;
import java.net.InetSocketAddress;
import io.rollforward.config.CheckConfig;
import io.rollforward.proxy.replica.ReplicaSetChange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    /** Replaced whole by a reload, in the replicas' priority order. */
    private volatile Map<Replica, ReplicaHealth> byReplica;
    private final ReplicaSet replicas;
    private volatile boolean started;
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
        this.replicas = replicas;
        Map<Replica, ReplicaHealth> map = new LinkedHashMap<>();
        for (Replica r : replicas.all()) {
            map.put(r, new ReplicaHealth(r, replicas, rejoinHooks));
        }
        this.byReplica = map;
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
        config.agents().ifPresent(agents ->
                agentListener = new AgentListener(agents, this::ofAgent, agentNodes(byReplica.values()), group, rejected));
    }

    /** The replicas whose heartbeats {@code node}'s agent sends, now. */
    private List<ReplicaHealth> ofAgent(String node) {
        List<ReplicaHealth> list = new ArrayList<>();
        for (ReplicaHealth h : byReplica.values()) {
            if (h.replica().config().agent().filter(node::equals).isPresent()) {
                list.add(h);
            }
        }
        return list;
    }

    private static Set<String> agentNodes(Collection<ReplicaHealth> health) {
        Set<String> nodes = new LinkedHashSet<>();
        health.forEach(h -> h.replica().config().agent().ifPresent(nodes::add));
        return nodes;
    }

    /**
     * A reload changed the replicas ({@link ReplicaSet#install} done): kept replicas keep their
     * verdicts and their way back (a DOWN one stays DOWN) and have their check restarted only if it
     * changed; added ones are checked from now on; retired ones are no longer checked, and what
     * their last exchanges report is ignored.
     */
    public synchronized void reconcile(ReplicaSetChange change) {
        Map<Replica, ReplicaHealth> before = byReplica;
        Map<Replica, ReplicaHealth> next = new LinkedHashMap<>();
        List<ReplicaHealth> added = new ArrayList<>();
        for (Replica r : change.next()) {
            ReplicaHealth h = before.get(r);
            if (h == null) {
                h = new ReplicaHealth(r, replicas, rejoinHooks);
                added.add(h);
                passive.watch(h);
            }
            next.put(r, h);
        }
        byReplica = next;
        for (Replica r : change.retired()) {
            checker.unwatch(r);
            passive.forget(r);
        }
        if (agentListener != null) {
            agentListener.watch(agentNodes(added));
        }
        if (!started) {
            return;
        }
        for (ReplicaHealth h : added) {
            h.replica().config().check().ifPresent(check -> checker.watch(h, check));
        }
        for (Replica r : change.kept()) {
            Optional<CheckConfig> check = r.config().check();
            if (!check.equals(change.configBefore(r).check())) {
                log.info("replica {}: its check changed, restarting it (verdicts so far stay)", r.name());
                checker.unwatch(r);
                check.ifPresent(c -> checker.watch(next.get(r), c));
            }
        }
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
    public synchronized void start() {
        started = true;
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
