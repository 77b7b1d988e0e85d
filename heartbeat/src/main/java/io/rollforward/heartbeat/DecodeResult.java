package io.rollforward.heartbeat;

import java.util.Objects;

/** What {@link HeartbeatCodec#decode} made of a datagram: a packet, or why it was dropped. */
public sealed interface DecodeResult {

    /** A heartbeat that passed every check. */
    record Accepted(HeartbeatPacket packet) implements DecodeResult {
        public Accepted {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /** A dropped datagram and the reason (already reported to {@link HeartbeatEvents#rejected}). */
    record Rejected(RejectReason reason) implements DecodeResult {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
