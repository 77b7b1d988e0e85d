package io.rollforward.proxy;

import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.exchange.ExchangeSettings;
import io.rollforward.proxy.front.ExchangeFactory;
import io.rollforward.proxy.health.HealthMonitor;
import io.rollforward.proxy.metrics.GroupMeters;
import io.rollforward.proxy.metrics.ProxyMetrics;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaSet;
import io.rollforward.proxy.replica.ReplicaSetChange;
import io.rollforward.proxy.schedule.GroupDispatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas-and-groups part of a reload. {@link #plan} works out what the new config makes of
 * the running replicas (kept, added, retired) and builds the new groups, changing nothing, so a
 * replica that does not resolve refuses the reload with the old set untouched. {@link #apply}
 * then installs the set, reconciles health checks and meters, and swaps the new groups and
 * settings into the {@link ExchangeFactory} in one step: new requests run on the new set, those
 * in flight finish on the objects they started with, and {@link ReplicaRetirement} closes what
 * the new set no longer has once they are done.
 */
final class ReplicaReload {
    private static final Logger log = LoggerFactory.getLogger(ReplicaReload.class);

    /** What {@link #plan} found; {@code groups} is the running dispatcher when nothing about groups changed. */
    record Plan(ReplicaSetChange change, GroupDispatcher groups) {
    }

    private final ReplicaSet replicas;
    private final HealthMonitor health;
    private final ProxyMetrics metrics;
    private final ExchangeFactory exchanges;
    private final ReplicaRetirement retirement;
    private GroupMeters groupMeters;

    ReplicaReload(ReplicaSet replicas, HealthMonitor health, ProxyMetrics metrics, ExchangeFactory exchanges,
                  ReplicaRetirement retirement, GroupMeters groupMeters) {
        this.replicas = replicas;
        this.health = health;
        this.metrics = metrics;
        this.exchanges = exchanges;
        this.retirement = retirement;
        this.groupMeters = groupMeters;
    }

    /**
     * Changes nothing. The groups are rebuilt (with the file's weights) only when the replicas or
     * {@code scheduling} changed; otherwise the running ones, with weights set on the admin port, stay.
     *
     * @throws IllegalArgumentException when an added replica's host does not resolve
     */
    Plan plan(RollforwardConfig running, RollforwardConfig next) {
        ReplicaSetChange change = replicas.plan(next.replicas());
        GroupDispatcher now = exchanges.serving().groups();
        boolean sameGroups = !change.changesMembers() && running.scheduling().equals(next.scheduling())
                && running.replicas().equals(next.replicas());
        return new Plan(change, sameGroups ? now : GroupDispatcher.from(next.scheduling(), change.next()));
    }

    /** Makes {@code plan} and {@code settings} serve new requests; returns what changed, for the log. */
    synchronized String apply(Plan plan, ExchangeSettings settings, RollforwardConfig next) {
        ReplicaSetChange change = plan.change();
        GroupDispatcher before = exchanges.serving().groups();
        replicas.install(change);
        health.reconcile(change);
        for (Replica r : change.added()) {
            metrics.replicaState(r.name(), r.inService());
        }
        if (plan.groups() != before) {
            groupMeters.remove();
            groupMeters = GroupMeters.register(metrics.registry(), plan.groups());
        }
        exchanges.serve(new ExchangeFactory.Serving(replicas, plan.groups(), settings));
        retirement.retire(change.retired(), before, next.shutdownTimeout());
        String what = change.summary() + (plan.groups() != before ? "; groups rebuilt" : "");
        if (change.changesMembers() || plan.groups() != before) {
            log.info("replicas now {} ({})", change.next().stream()
                    .map(r -> r.name() + "=" + r.config().address()).toList(), what);
        }
        return what;
    }
}
