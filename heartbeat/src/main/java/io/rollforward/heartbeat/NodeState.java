package io.rollforward.heartbeat;

import java.util.Optional;

/**
 * What a sender says about itself in every heartbeat. Agents beside a web server use {@link #UP}
 * and {@link #DOWN}; the proxies of an HA pair announce their role with the other four.
 *
 * <p>Each state has a fixed wire code, so reordering the constants never changes the protocol.
 */
public enum NodeState {
    /** Agent: the local check of the web server passes. */
    UP(1),
    /**
     * Agent: the local check fails, or the agent is stopping. Sent at once instead of going silent,
     * so the proxy rolls forward without waiting for deadtime.
     */
    DOWN(2),
    /** HA pair: started, has not decided its role yet (heartbeat's "init" while initdead runs). */
    INIT(3),
    /** HA pair: up and ready, the peer owns the VIP. */
    STANDBY(4),
    /** HA pair: owns the VIP. */
    ACTIVE(5),
    /** HA pair: stopping gracefully, the VIP is already released (heartbeat's "shutdown" message). */
    LEAVING(6);

    private final int code;

    NodeState(int code) {
        this.code = code;
    }

    /** The byte that stands for this state on the wire. */
    public int code() {
        return code;
    }

    /** The state with wire code {@code code}, or empty for a code this version does not know. */
    public static Optional<NodeState> fromCode(int code) {
        for (NodeState s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
