package io.rollforward.proxy.health;

import io.rollforward.config.DurationValue;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.FailureCause;
import io.rollforward.proxy.replica.Replica;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Passive health: {@code eject-after} consecutive failed requests (connect, reset, timeout,
 * fail-on-status) mark a replica DOWN; one good reply resets the count. The ejection ends when the
 * replica's active check passes {@code rise} times in a row or, for a replica with no active
 * check, after {@code ejection-time} (as Envoy's outlier detection re-admits after its base
 * ejection time), so a replica is never left out with nothing to bring it back.
 *
 * <p>Passive ejection never takes out the last replica in service (Envoy's
 * {@code max_ejection_percent} and panic threshold): with one left it keeps serving, and a warning
 * is logged at most once per {@code ejection-time}. Exchanges report a failure here only when it
 * was the replica's (another replica answered the same request, or the connect failed), so a
 * request that fails everywhere never ejects anyone.
 *
 * <p>Called on event loops: counting is one atomic increment.
 */
final class PassiveOutlierDetector implements ExchangeEvents {
    private static final Logger log = LoggerFactory.getLogger(PassiveOutlierDetector.class);
    private final int ejectAfter;
    private final Duration ejectionTime;
    private final Map<Replica, ReplicaHealth> health;
    private final Map<Replica, AtomicInteger> failures;
    private final ScheduledExecutorService scheduler;
    private final java.util.function.Supplier<Integer> inService;
    private final java.util.concurrent.atomic.AtomicLong lastSpareWarning = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

    PassiveOutlierDetector(int ejectAfter, Duration ejectionTime, Map<Replica, ReplicaHealth> health,
                           ScheduledExecutorService scheduler, java.util.function.Supplier<Integer> inService) {
        this.inService = inService;
        this.ejectAfter = ejectAfter;
        this.ejectionTime = ejectionTime;
        this.health = new ConcurrentHashMap<>(health);
        this.scheduler = scheduler;
        this.failures = new ConcurrentHashMap<>();
        health.keySet().forEach(r -> failures.put(r, new AtomicInteger()));
    }

    /** A reload added {@code replica}: its failures count from 0. */
    void watch(ReplicaHealth replica) {
        health.put(replica.replica(), replica);
        failures.put(replica.replica(), new AtomicInteger());
    }

    /** A reload retired {@code replica}: what its last exchanges report is ignored. */
    void forget(Replica replica) {
        failures.remove(replica);
        health.remove(replica);
    }

    @Override
    public void replicaSucceeded(Replica replica) {
        AtomicInteger n = failures.get(replica);
        if (n != null && n.get() != 0) {
            n.set(0);
        }
    }

    @Override
    public void replicaFailed(Replica replica, FailureCause cause) {
        AtomicInteger n = failures.get(replica);
        if (ejectAfter <= 0 || n == null) {
            return;
        }
        if (n.incrementAndGet() == ejectAfter) {
            ReplicaHealth h = health.get(replica);
            if (h == null) {
                return; // retired by a reload meanwhile
            }
            if (replica.inService() && inService.get() <= 1) {
                n.set(0);
                long now = System.nanoTime();
                long last = lastSpareWarning.get();
                if ((last == Long.MIN_VALUE || now - last >= ejectionTime.toNanos()) && lastSpareWarning.compareAndSet(last, now)) {
                    log.warn("replica {} failed {} requests in a row (the last by {}), but it is the last replica in service:"
                            + " it is not ejected", replica.name(), ejectAfter, cause.tag());
                }
                return;
            }
            h.report(HealthSource.PASSIVE, false, ejectAfter + " consecutive requests failed, the last by " + cause.tag());
            n.set(0);
            if (replica.config().check().isEmpty()) {
                scheduler.schedule(() -> h.report(HealthSource.PASSIVE, true,
                        "ejection-time " + DurationValue.format(ejectionTime) + " over"),
                        ejectionTime.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }
}
