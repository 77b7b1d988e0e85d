package io.rollforward.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.rollforward.proxy.exchange.Outcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The meters of one replica, made once so that the per-request path is a field read and an add. */
final class ReplicaMeters {
    /**
     * Latency bucket bounds from 1 ms to 30 s (the largest sane {@code per-request-timeout}): explicit
     * buckets keep the series count small (15 per replica) where a percentile histogram would add ~70,
     * and are enough for {@code histogram_quantile()} to give p50 and p99.
     */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30),
    };

    private static final int UNKNOWN = -1;
    private static final int DOWN = 0;
    private static final int UP = 1;

    final Counter[] requests;
    final Timer latency;
    private final AtomicInteger state = new AtomicInteger(UNKNOWN);
    private final Counter toUp;
    private final Counter toDown;
    private final Gauge up;

    private ReplicaMeters(Factory factory, String name) {
        MeterRegistry registry = factory.registry;
        requests = new Counter[Outcome.values().length];
        for (Outcome outcome : Outcome.values()) {
            requests[outcome.ordinal()] = factory.requests(name, outcome);
        }
        latency = Timer.builder("rollforward.replica.latency")
                .description("Time from dispatching a request to a replica to its full reply")
                .tag("replica", name)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        // UNKNOWN reads as 0: a replica not yet checked is not serving.
        up = Gauge.builder("rollforward.replica.up", state, s -> s.get() == UP ? 1 : 0)
                .description("1 while the replica is UP (may be acting master or backup), else 0")
                .tag("replica", name)
                .register(registry);
        toUp = stateChanges(registry, name, "up");
        toDown = stateChanges(registry, name, "down");
    }

    void state(boolean up) {
        int next = up ? UP : DOWN;
        int previous = state.getAndSet(next);
        if (previous != UNKNOWN && previous != next) {
            (up ? toUp : toDown).increment();
        }
    }

    /** Takes this replica's meters off {@code registry} (retired by a reload). */
    void remove(MeterRegistry registry) {
        for (Meter m : requests) {
            registry.remove(m);
        }
        for (Meter m : new Meter[] {latency, up, toUp, toDown}) {
            registry.remove(m);
        }
    }

    private static Counter stateChanges(MeterRegistry registry, String name, String to) {
        return Counter.builder("rollforward.replica.state.changes")
                .description("Times the replica changed between UP and DOWN, by the state it went to")
                .tag("replica", name).tag("to", to)
                .register(registry);
    }

    /** Makes the meters of one replica, and the request counters of the {@code none} pseudo-replica. */
    static final class Factory {
        private final MeterRegistry registry;

        Factory(MeterRegistry registry) {
            this.registry = registry;
        }

        ReplicaMeters create(String name) {
            return new ReplicaMeters(this, name);
        }

        Counter requests(String servedBy, Outcome outcome) {
            return Counter.builder("rollforward.requests")
                    .description("Client requests answered, by the replica whose reply was sent and how the request ended")
                    .tag("served_by", servedBy).tag("outcome", outcome.tag())
                    .register(registry);
        }
    }
}
