package io.rollforward.heartbeat;

import java.time.Duration;
import java.util.List;

/**
 * What the heartbeat layer tells its owner: rejected datagrams (from {@link HeartbeatCodec}) and
 * liveness changes (from {@link FailureDetector}). Every method has an empty default, so a metrics
 * binder implements only {@link #rejected} and {@link #late}, a role state machine only
 * {@link #nodeChanged} and {@link #reportedStateChanged}.
 *
 * <p>Methods are called on the thread that drives the codec or detector (the owner's event loop);
 * they must not block. An exception thrown here is logged and otherwise ignored.
 */
public interface HeartbeatEvents {

    /** Listener that ignores everything. */
    HeartbeatEvents NONE = new HeartbeatEvents() {
    };

    /** A datagram was dropped; count it as {@code rollforward_heartbeat_rejected_total{reason}}. */
    default void rejected(RejectReason reason) {
    }

    /**
     * ha.cf {@code warntime}: {@code node} has been silent on {@code link} for {@code silence}.
     * Reported once per silent gap.
     */
    default void late(String node, String link, Duration silence) {
    }

    /** The liveness of one link to {@code node} changed. */
    default void linkChanged(String node, String link, Liveness from, Liveness to) {
    }

    /**
     * The liveness of {@code node} as a whole changed. A node is {@link Liveness#DEAD} only when
     * every link to it is dead, and up when any link is.
     */
    default void nodeChanged(String node, Liveness from, Liveness to) {
    }

    /** {@code node} announced a different state; {@code from} is null for its first packet. */
    default void reportedStateChanged(String node, NodeState from, NodeState to) {
    }

    /** {@code node} restarted: a packet arrived with a newer generation (boot time). */
    default void restarted(String node, long oldGeneration, long newGeneration) {
    }

    /** A listener that calls each of {@code listeners} in order. */
    static HeartbeatEvents all(HeartbeatEvents... listeners) {
        List<HeartbeatEvents> list = List.of(listeners);
        return new HeartbeatEvents() {
            @Override
            public void rejected(RejectReason reason) {
                list.forEach(l -> l.rejected(reason));
            }

            @Override
            public void late(String node, String link, Duration silence) {
                list.forEach(l -> l.late(node, link, silence));
            }

            @Override
            public void linkChanged(String node, String link, Liveness from, Liveness to) {
                list.forEach(l -> l.linkChanged(node, link, from, to));
            }

            @Override
            public void nodeChanged(String node, Liveness from, Liveness to) {
                list.forEach(l -> l.nodeChanged(node, from, to));
            }

            @Override
            public void reportedStateChanged(String node, NodeState from, NodeState to) {
                list.forEach(l -> l.reportedStateChanged(node, from, to));
            }

            @Override
            public void restarted(String node, long oldGeneration, long newGeneration) {
                list.forEach(l -> l.restarted(node, oldGeneration, newGeneration));
            }
        };
    }
}
