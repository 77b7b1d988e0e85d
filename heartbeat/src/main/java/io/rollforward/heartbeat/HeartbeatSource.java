package io.rollforward.heartbeat;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Stamps this node's outgoing heartbeats: its name, its generation (boot time in ms, fixed when
 * this source is made) and a sequence number that starts at 1 and grows by one per packet.
 * Thread-safe.
 */
public final class HeartbeatSource {
    private final String node;
    private final long generation;
    private final LongSupplier currentTimeMillis;
    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param node              this node's name
     * @param currentTimeMillis wall clock; its value now is the generation
     */
    public HeartbeatSource(String node, LongSupplier currentTimeMillis) {
        this.node = Objects.requireNonNull(node, "node");
        this.currentTimeMillis = Objects.requireNonNull(currentTimeMillis, "currentTimeMillis");
        this.generation = currentTimeMillis.getAsLong();
    }

    /** A source on the system clock. */
    public HeartbeatSource(String node) {
        this(node, System::currentTimeMillis);
    }

    /** The next packet, stamped now. */
    public HeartbeatPacket next(NodeState state, OptionalInt load) {
        return HeartbeatPacket.of(node, state, generation, sequence.incrementAndGet(),
                currentTimeMillis.getAsLong(), load);
    }

    /** The next packet, stamped now, without a load figure. */
    public HeartbeatPacket next(NodeState state) {
        return next(state, OptionalInt.empty());
    }

    public String node() {
        return node;
    }

    public long generation() {
        return generation;
    }
}
