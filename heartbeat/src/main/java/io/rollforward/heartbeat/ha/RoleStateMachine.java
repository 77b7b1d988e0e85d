package io.rollforward.heartbeat.ha;

import io.rollforward.config.ClusterConfig;
import io.rollforward.config.Timing;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Decides this node's {@link Role} in the HA pair from what the caller observes: is the peer
 * alive on any heartbeat link, which role does it announce, can this node reach a ping node.
 * Pure logic: no I/O, no threads, time from an injected monotonic clock (nanoseconds,
 * {@code System::nanoTime} in production). Not thread-safe: drive it from one thread (an event
 * loop) and call {@link #tick()} every keepalive so that time-based rules fire.
 *
 * <p>Transitions (first matching row wins; "ping ok" is true when no ping nodes are configured,
 * else the caller's last {@link #pingNodesReachable} input, false until the first one; "winner"
 * is defined below):
 * <pre>
 * from            condition (peer role = the one in its latest heartbeat)        to       why / origin
 * INIT            start()                                                        STANDBY  heartbeat joins as standby
 * STANDBY         ping not ok                                                    (stay)   ipfail: a node cut off from
 *                                                                                          the network never takes over
 * STANDBY         peer announces LEAVING                                         ACTIVE   graceful handover, no deadtime
 *                                                                                          (keepalived priority-0 advert)
 * STANDBY         peer dead on every link, peer was heard since start            ACTIVE   heartbeat deadtime takeover
 * STANDBY         peer never heard and initdead has passed since start           ACTIVE   heartbeat initdead (cold start)
 * STANDBY         peer alive, its role not yet known                             (stay)   wait for its first heartbeat
 * STANDBY         peer alive and not ACTIVE, this node is the winner             ACTIVE   both standby: the preferred node
 *                                                                                          takes the VIP (haresources owner)
 * STANDBY         peer alive and not ACTIVE, both standby for deadtime           ACTIVE   the winner did not take over (e.g.
 *                                                                                          it reaches no ping node)
 * ACTIVE          peer alive and ACTIVE, this node is not the winner             STANDBY  split brain healed: one yields
 * ACTIVE          auto-failback, peer is the preferred node, alive and STANDBY   STANDBY  heartbeat auto_failback on; the
 *                 for initdead (and has not declined a failback already)                  preferred STANDBY then takes over
 *                                                                                          by the "winner" row
 * any but LEAVING stop()                                                         LEAVING  graceful stop (final)
 * </pre>
 * The winner: the {@code preferred} node if exactly one of this node and the peer is it, else
 * the node whose name sorts first. Both nodes must be configured with the same
 * {@code preferred} for this to be symmetric.
 *
 * <p>"Peer dead" is the failure detector's verdict per link (deadtime); a serial link that
 * still hears the peer keeps a UDP outage from becoming split brain. With auto-failback off a
 * returning preferred node stays STANDBY while the peer is ACTIVE (heartbeat's
 * {@code auto_failback off}, formerly {@code nice_failback on}). An ACTIVE node that loses its
 * ping nodes keeps the VIP: it has nobody better to give it to.
 *
 * <p>Outputs: each transition is reported to the {@link RoleChange.Listener}, synchronously. The
 * listener must not call back into this machine from inside the callback.
 */
public final class RoleStateMachine {
    private final String node;
    private final String peer;
    private final String preferred;
    private final boolean autoFailback;
    private final boolean pingNodesConfigured;
    private final long deadtime;
    private final long initdead;
    private final LongSupplier nanoClock;
    private final RoleChange.Listener listener;

    private Role role = Role.INIT;
    private long startedAt;
    private long standbySince;
    private boolean peerAlive;
    private boolean peerHeard;
    /** The peer's announced role; null = unknown (not heard since it was last seen dead). */
    private Role peerRole;
    /** When the peer was first seen alive and not ACTIVE (standby), -1 if it is not. */
    private long peerStandbySince = -1;
    /** The preferred peer let a failback lapse; do not offer it again until it changes role. */
    private boolean failbackDeclined;
    private boolean pingReachable;

    public RoleStateMachine(String node, String peer, String preferred, boolean autoFailback,
                            boolean pingNodesConfigured, Timing timing, LongSupplier nanoClock,
                            RoleChange.Listener listener) {
        this.node = Objects.requireNonNull(node, "node");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.preferred = Objects.requireNonNull(preferred, "preferred");
        if (node.equals(peer)) {
            throw new IllegalArgumentException("peer: " + peer + " (expected: a name other than node " + node + ")");
        }
        this.autoFailback = autoFailback;
        this.pingNodesConfigured = pingNodesConfigured;
        this.deadtime = timing.deadtime().toNanos();
        this.initdead = timing.initdead().toNanos();
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** A machine for this cluster config. */
    public static RoleStateMachine of(ClusterConfig config, LongSupplier nanoClock, RoleChange.Listener listener) {
        return new RoleStateMachine(config.node(), config.peer(), config.preferred(), config.autoFailback(),
                !config.pingNodes().isEmpty(), config.timing(), nanoClock, listener);
    }

    public Role role() {
        return role;
    }

    /** INIT -> STANDBY; the initdead wait for the peer starts now. */
    public void start() {
        if (role != Role.INIT) {
            return;
        }
        startedAt = nanoClock.getAsLong();
        become(Role.STANDBY, "started, waiting up to initdead " + Duration.ofNanos(initdead) + " for " + peer);
        evaluate();
    }

    /** Graceful stop: release the VIP (if ACTIVE) and tell the peer. LEAVING is final. */
    public void stop() {
        if (role != Role.LEAVING) {
            become(Role.LEAVING, "graceful stop");
        }
    }

    /** The failure detector's verdict, one entry per configured link (true = peer heard within deadtime). */
    public void peerLinks(Map<String, Boolean> aliveByLink) {
        peerAlive(aliveByLink.containsValue(Boolean.TRUE));
    }

    /** Is the peer alive on at least one configured link? */
    public void peerAlive(boolean aliveOnAnyLink) {
        if (peerAlive && !aliveOnAnyLink) {
            // A role heard before the peer died says nothing about the peer that comes back.
            peerRole = null;
        }
        peerAlive = aliveOnAnyLink;
        peerHeard |= aliveOnAnyLink;
        peerChanged();
    }

    /**
     * The role announced in the peer's latest accepted heartbeat. Until the peer's role is known
     * (after start, or after it was dead) an alive peer only keeps this node from taking over.
     */
    public void peerRole(Role announced) {
        peerRole = Objects.requireNonNull(announced, "announced");
        peerChanged();
    }

    /** The caller's ping-node check (heartbeat's ipfail): true if at least one ping node answers. */
    public void pingNodesReachable(boolean reachable) {
        pingReachable = reachable;
        evaluate();
    }

    /** Re-evaluates time-based rules (initdead, failback delay); call every keepalive. */
    public void tick() {
        evaluate();
    }

    private void peerChanged() {
        boolean standby = peerAlive && (peerRole == Role.STANDBY || peerRole == Role.INIT);
        if (!standby) {
            peerStandbySince = -1;
            failbackDeclined = false;
        } else if (peerStandbySince < 0) {
            peerStandbySince = nanoClock.getAsLong();
        }
        evaluate();
    }

    private void evaluate() {
        if (role == Role.STANDBY) {
            evaluateStandby(nanoClock.getAsLong());
        } else if (role == Role.ACTIVE) {
            evaluateActive(nanoClock.getAsLong());
        }
    }

    private void evaluateStandby(long now) {
        if (pingNodesConfigured && !pingReachable) {
            return;
        }
        if (peerRole == Role.LEAVING) {
            become(Role.ACTIVE, peer + " is leaving (graceful stop)");
        } else if (!peerAlive) {
            if (peerHeard) {
                become(Role.ACTIVE, peer + " is dead on every link");
            } else if (now - startedAt >= initdead) {
                become(Role.ACTIVE, "no heartbeat from " + peer + " within initdead " + Duration.ofNanos(initdead));
            }
        } else if (peerRole != null && peerRole != Role.ACTIVE) {
            if (isWinner()) {
                become(Role.ACTIVE, "both standby, " + node + " is " + winnerWhy());
            } else if (now - Math.max(peerStandbySince, standbySince) >= deadtime) {
                failbackDeclined = true;
                become(Role.ACTIVE, peer + " stayed standby for deadtime " + Duration.ofNanos(deadtime)
                        + " without taking over");
            }
        }
    }

    private void evaluateActive(long now) {
        if (!peerAlive || peerRole == null) {
            return;
        }
        if (peerRole == Role.ACTIVE) {
            if (!isWinner()) {
                become(Role.STANDBY, "split brain: both active, " + peer + " is " + winnerWhy() + " and keeps the VIP");
            }
        } else if (autoFailback && preferred.equals(peer) && !failbackDeclined
                && peerStandbySince >= 0 && now - peerStandbySince >= initdead) {
            become(Role.STANDBY, "auto-failback: preferred " + peer + " has been standby for initdead "
                    + Duration.ofNanos(initdead));
        }
    }

    /** Should this node, rather than the peer, hold the VIP when both could? */
    private boolean isWinner() {
        boolean nodePreferred = preferred.equals(node);
        if (nodePreferred != preferred.equals(peer)) {
            return nodePreferred;
        }
        return node.compareTo(peer) < 0;
    }

    private String winnerWhy() {
        return preferred.equals(node) || preferred.equals(peer) ? "preferred" : "first by name";
    }

    private void become(Role to, String reason) {
        Role from = role;
        role = to;
        if (to == Role.STANDBY) {
            standbySince = nanoClock.getAsLong();
        }
        listener.onRoleChange(new RoleChange(from, to, reason));
    }
}
