package io.rollforward.heartbeat;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * One heartbeat, as signed and sent by {@link HeartbeatCodec}.
 *
 * <p>{@code generation} is the sender's boot time in ms. Linux-HA heartbeat keeps a generation
 * number beside the sequence number for the same reason: a restarted sender begins again at
 * sequence 1, and only the larger generation tells its packets from a replay of old ones.
 *
 * @param version    wire format version, {@link #CURRENT_VERSION}
 * @param node       sender's node name: 1..{@value #MAX_NODE_BYTES} bytes of UTF-8, no control characters
 * @param state      what the sender says about itself
 * @param generation sender's boot time in ms since the epoch
 * @param sequence   per-generation sequence number, from 1
 * @param timestamp  send time in ms since the epoch (sender's wall clock)
 * @param load       optional load figure (e.g. in-flight requests), for least-loaded failover
 */
public record HeartbeatPacket(int version, String node, NodeState state, long generation, long sequence,
                              long timestamp, OptionalInt load) {
    public static final int CURRENT_VERSION = 1;
    public static final int MAX_NODE_BYTES = 255;

    public HeartbeatPacket {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(load, "load");
        int bytes = node.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_NODE_BYTES) {
            throw new IllegalArgumentException("node: \"" + node + "\" (expected: 1.." + MAX_NODE_BYTES + " bytes)");
        }
        if (node.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("node: \"" + node + "\" (expected: no control characters)");
        }
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence: " + sequence + " (expected: >= 0)");
        }
        if (load.isPresent() && load.getAsInt() < 0) {
            throw new IllegalArgumentException("load: " + load.getAsInt() + " (expected: >= 0)");
        }
    }

    /** A packet in the current wire version. */
    public static HeartbeatPacket of(String node, NodeState state, long generation, long sequence,
                                     long timestamp, OptionalInt load) {
        return new HeartbeatPacket(CURRENT_VERSION, node, state, generation, sequence, timestamp, load);
    }
}
