package io.rollforward.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rollforward.proxy.ordering.WriteOrderEvents;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The meters of write ordering, tagged by {@code key_kind} (service, path, path-prefix, header):
 * {@code rollforward_queued_writes} (gauge), {@code rollforward_write_queue_wait_seconds}
 * (histogram of the time a replica's copy waited for its turn), {@code
 * rollforward_write_queue_refused_total{bound}} and {@code rollforward_out_of_step_total{replica}}.
 * Registered up front, so the series exist before the first write. Thread-safe.
 */
public final class OrderingMeters implements WriteOrderEvents {
    private final Timer wait;
    private final Counter refusedByKey;
    private final Counter refusedTotal;
    private final Map<String, Counter> outOfStep = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    /**
     * @param queued the ordered writes queued or running now
     */
    public OrderingMeters(MeterRegistry registry, String keyKind, IntSupplier queued, List<String> replicas) {
        Gauge.builder("rollforward.queued.writes", queued::getAsInt)
                .description("Ordered writes admitted and not yet answered by every replica").tag("key_kind", keyKind)
                .register(registry);
        wait = Timer.builder("rollforward.write.queue.wait")
                .description("Time a replica's copy of an ordered request waited for its turn")
                .tag("key_kind", keyKind).serviceLevelObjectives(ReplicaMeters.LATENCY_BUCKETS).register(registry);
        refusedByKey = refused(registry, keyKind, "key");
        refusedTotal = refused(registry, keyKind, "total");
        this.registry = registry;
        replicas.forEach(this::outOfStepCounter);
    }

    private Counter outOfStepCounter(String replica) {
        return outOfStep.computeIfAbsent(replica, r -> Counter.builder("rollforward.out.of.step")
                .description("Times a replica was taken out of step: it missed, or answered otherwise, an ordered write")
                .tag("replica", r).register(registry));
    }

    private static Counter refused(MeterRegistry registry, String keyKind, String bound) {
        return Counter.builder("rollforward.write.queue.refused")
                .description("Ordered writes refused with 503: the queue of their key, or all queues, were full")
                .tag("key_kind", keyKind).tag("bound", bound).register(registry);
    }

    @Override
    public void waited(String keyKind, long nanos) {
        wait.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void refused(String keyKind, String bound) {
        ("key".equals(bound) ? refusedByKey : refusedTotal).increment();
    }

    /** A replica was taken out of step. */
    public void outOfStep(String replica) {
        outOfStepCounter(replica).increment(); // a replica added by a reload gets its counter here
    }
}
