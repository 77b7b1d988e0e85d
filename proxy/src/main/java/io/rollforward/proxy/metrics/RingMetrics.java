package io.rollforward.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollforward.heartbeat.ring.VipMove;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The N-way cluster's meters: view size, quorum, VIPs held here, and VIP moves by cause (one
 * counter name, a {@code cause} tag: start, takeover, failback_auto, failback_manual, merge).
 * Moves are counted by the coordinator that decided them.
 */
public final class RingMetrics {
    private final AtomicInteger viewSize = new AtomicInteger();
    private final AtomicInteger quorum = new AtomicInteger();
    private final AtomicInteger vipsHeld = new AtomicInteger();
    private final Map<VipMove.Cause, Counter> moves = new EnumMap<>(VipMove.Cause.class);

    public RingMetrics(MeterRegistry registry) {
        Gauge.builder("rollforward.ring.view.size", viewSize, AtomicInteger::get)
                .description("Members in this node's view of the N-way cluster").register(registry);
        Gauge.builder("rollforward.ring.quorum", quorum, AtomicInteger::get)
                .description("1 while this node's partition may hold VIPs, else 0").register(registry);
        Gauge.builder("rollforward.ring.vips.held", vipsHeld, AtomicInteger::get)
                .description("VIPs this node holds now").register(registry);
        for (VipMove.Cause cause : VipMove.Cause.values()) {
            moves.put(cause, Counter.builder("rollforward.ring.vip.moves")
                    .description("VIPs given a new holder by this node as coordinator, by why")
                    .tag("cause", cause.tag()).register(registry));
        }
    }

    public void view(int size, boolean hasQuorum) {
        viewSize.set(size);
        quorum.set(hasQuorum ? 1 : 0);
    }

    public void vipsHeld(int count) {
        vipsHeld.set(count);
    }

    public void moved(VipMove.Cause cause) {
        moves.get(cause).increment();
    }
}
