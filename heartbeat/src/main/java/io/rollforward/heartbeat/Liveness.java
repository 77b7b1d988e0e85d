package io.rollforward.heartbeat;

/**
 * What {@link FailureDetector} concludes about a node (or one link to it), with ha.cf's timing.
 */
public enum Liveness {
    /** Never heard from since the detector started and {@code initdead} has not run out yet. */
    STARTING,
    /** Heard within {@code warntime}. */
    ALIVE,
    /** Silent for {@code warntime} or longer but less than {@code deadtime}: still alive, warned once. */
    LATE,
    /** Silent for {@code deadtime} (or never heard for {@code initdead}). */
    DEAD,
    /** Heard recently, but the node itself reports {@link NodeState#DOWN} (agent's check failed). */
    REPORTED_DOWN;

    /** True when heartbeats arrive and the node does not report itself down. */
    public boolean isUp() {
        return this == ALIVE || this == LATE;
    }
}
