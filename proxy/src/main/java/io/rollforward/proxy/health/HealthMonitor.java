package io.rollforward.proxy.health;

import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaSet;
import java.util.LinkedHashMap;
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
public final class HealthMonitor implements AutoCloseable {
    private final Map<Replica, ReplicaHealth> byReplica = new LinkedHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "health");
        t.setDaemon(true);
        return t;
    });
    private final RejoinHook hook = new RejoinHook();
    private final ActiveChecker checker = new ActiveChecker(scheduler);
    private final PassiveOutlierDetector passive;

    public HealthMonitor(RollforwardConfig config, ReplicaSet replicas) {
        for (Replica r : replicas.all()) {
            byReplica.put(r, new ReplicaHealth(r, replicas, hook));
        }
        this.passive = new PassiveOutlierDetector(config.ejectAfter(), Map.copyOf(byReplica), scheduler);
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
        checker.close();
        scheduler.shutdownNow();
        hook.close();
    }
}
