package io.rollforward.heartbeat.ha;

/**
 * The role of one proxy node in the HA pair, as carried in its heartbeats and decided by
 * {@link RoleStateMachine}.
 */
public enum Role {
    /**
     * Process started, nothing decided yet; left at once by {@link RoleStateMachine#start()}.
     * keepalived: every VRRP instance starts in INIT before its first transition
     * (RFC 5798 section 6.4.1 "Initialize"). A peer announcing INIT is treated like STANDBY.
     */
    INIT,
    /**
     * Up and watching the peer, not holding the VIP. Linux-HA heartbeat: the node that does not
     * own the resource group (after {@code hb_standby}, or the second node up with
     * {@code auto_failback off}); keepalived: BACKUP (RFC 5798 section 6.4.2).
     */
    STANDBY,
    /**
     * Holds the VIP and announces it (gratuitous ARP). Linux-HA heartbeat: the node that ran the
     * resource scripts' {@code start} (takeover after the peer's deadtime, or at start-up after
     * initdead); keepalived: MASTER (RFC 5798 section 6.4.3).
     */
    ACTIVE,
    /**
     * Graceful stop: the VIP is being released and the peer told, so the peer takes over at once
     * instead of waiting deadtime. Linux-HA heartbeat: a node shutting down gives its resources
     * away and tells the peer ("shutdown" status), which takes them without waiting deadtime;
     * keepalived: a stopping MASTER sends an advertisement with priority 0 so the backup
     * takes over after skew time only (RFC 5798 section 6.4.3). Final: a LEAVING node stops.
     */
    LEAVING
}
