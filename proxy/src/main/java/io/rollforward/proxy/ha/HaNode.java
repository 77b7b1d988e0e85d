package io.rollforward.proxy.ha;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.rollforward.config.ClusterConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.heartbeat.AuthKey;
import io.rollforward.heartbeat.AuthKeyException;
import io.rollforward.heartbeat.FailureDetector;
import io.rollforward.heartbeat.HeartbeatEvents;
import io.rollforward.heartbeat.HeartbeatPacket;
import io.rollforward.heartbeat.Liveness;
import io.rollforward.heartbeat.NodeState;
import io.rollforward.heartbeat.RejectReason;
import io.rollforward.heartbeat.ha.NotifyCommands;
import io.rollforward.heartbeat.ha.Role;
import io.rollforward.heartbeat.ha.RoleChange;
import io.rollforward.heartbeat.ha.RoleStateMachine;
import io.rollforward.proxy.admin.AdminResult;
import io.rollforward.proxy.metrics.ProxyMetrics;
import io.rollforward.proxy.transport.Transport;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This proxy as one node of the HA pair: heartbeats the peer over UDP (and serial, if set),
 * decides its role with {@link RoleStateMachine} and moves the VIP on role changes.
 *
 * <pre>
 *   UDP datagram --codec(udp)----+
 *   serial frame --codec(serial)-+--> FailureDetector --> RoleStateMachine --> RoleActions
 *                                     (peer per link)       (roles)          (log, metrics, VIP, notify)
 *   every keepalive: tick, then a heartbeat with the current role on every link
 * </pre>
 *
 * <p>Threads: everything that touches the detector or the state machine runs on one event loop
 * of a single-thread group of its own (so a loaded front cannot delay heartbeats into a false
 * takeover). The serial reader and the ping-node checker hand their results to it with
 * {@code execute}. The media and their codecs are {@link HeartbeatLinks}; a failover on
 * request is {@link Handover}.
 *
 * <p>Graceful stop ({@link #close()}): the state machine goes LEAVING, the VIP is released first,
 * then LEAVING is sent on every link, so the peer takes over without waiting deadtime (Linux-HA's
 * shutdown message; keepalived's priority-0 advertisement, RFC 5798 section 6.4.3).
 */
public final class HaNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HaNode.class);
    private static final long VIP_WAIT_SECONDS = 10;

    private final ClusterConfig config;
    private final ProxyMetrics metrics;
    private final VipHolder vip;
    private final RoleActions actions;
    private final FailureDetector detector;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Handover handover;
    private final DetectorEvents events = new DetectorEvents();
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();
    /** Loop only: peer liveness per configured link, as the detector last reported it. */
    private final Map<String, Boolean> peerLinks = new LinkedHashMap<>();
    /** Loop only. */
    private RoleStateMachine machine;
    private HeartbeatLinks links;
    private PingNodes ping;
    /** Loop only: the last ping-node verdict. */
    private boolean pingOk;
    /** Loop only: a role change that only restores the role (a fresh machine's start), no log or notify. */
    private boolean quiet;
    private volatile Role peerRole;
    private volatile boolean peerUp;
    private volatile boolean closed;

    private HaNode(ClusterConfig config, Transport transport, ProxyMetrics metrics, VipHolder vip,
                   RoleChange.Listener observer) {
        this.config = config;
        this.metrics = metrics;
        this.vip = vip;
        this.detector = new FailureDetector(config.timing(), events);
        this.group = transport.newGroup(1);
        this.loop = group.next();
        this.actions = new RoleActions(metrics, vip, new NotifyCommands(config.notifications(), config.node()), observer,
                loop);
        this.handover = new Handover(this);
    }

    /**
     * True when the front (plain or TLS) listens on the cluster's VIP itself, so it must bind before
     * the address exists (IP_FREEBIND, or {@code net.ipv4.ip_nonlocal_bind=1}).
     */
    public static boolean listensOnVip(RollforwardConfig config) {
        String frontHost = config.listen().or(() -> config.tls().map(t -> t.listen())).map(HostPort::host).orElse("");
        return config.cluster().flatMap(ClusterConfig::vip).map(v -> {
            try {
                return InetAddress.getByName(v.address()).equals(InetAddress.getByName(frontHost));
            } catch (UnknownHostException e) {
                return false;
            }
        }).orElse(false);
    }

    /** Starts the node with the VIP from {@code config}. */
    public static HaNode start(ClusterConfig config, Transport transport, ProxyMetrics metrics) {
        return start(config, transport, metrics, VipHolder.of(config.vip()), change -> { });
    }

    /**
     * Reads the key, checks the VIP can be handled here ({@link VipHolder#preflight()}: a clear
     * error now rather than at failover time), removes a VIP left by a crashed run, opens the
     * links and starts as STANDBY. Blocking: call from a start-up thread.
     *
     * @param observer also told about every role change (tests); called on the node's event loop
     * @throws IllegalStateException with a message for the operator when something is missing
     */
    public static HaNode start(ClusterConfig config, Transport transport, ProxyMetrics metrics, VipHolder vip,
                               RoleChange.Listener observer) {
        AuthKey key;
        try {
            key = AuthKey.read(config.keyFile());
        } catch (AuthKeyException e) {
            throw new IllegalStateException("cluster.key-file: " + e.getMessage(), e);
        }
        vip.preflight();
        HaNode node = new HaNode(config, transport, metrics, vip, observer);
        try {
            node.open(key);
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private void open(AuthKey key) {
        waitFor(vip.release(), "removing a VIP left from an earlier run");
        machine = RoleStateMachine.of(config, System::nanoTime, this::onRoleChange);
        // Before the links open: from then on only the loop touches the detector.
        HeartbeatLinks.names(config).forEach(this::watch);
        links = HeartbeatLinks.open(config, key, group, loop, events, this::onPacket);
        long keepalive = config.timing().keepalive().toNanos();
        loop.execute(machine::start);
        timers.add(loop.scheduleAtFixedRate(this::beat, keepalive, keepalive, TimeUnit.NANOSECONDS));
        timers.add(detector.scheduleChecks(loop));
        if (!config.pingNodes().isEmpty()) {
            Duration every = Duration.ofMillis(Math.max(200, config.timing().keepalive().toMillis()));
            ping = new PingNodes(config.pingNodes(), every, Duration.ofSeconds(1),
                    ok -> loop.execute(() -> pingVerdict(ok)));
            ping.start();
        }
        log.info("HA node {} started: peer {} on {}, VIP {}, preferred {}, auto-failback {}", config.node(),
                config.peer(), peerLinks.keySet(), vip.address().orElse("none"), config.preferred(),
                config.autoFailback());
    }

    /** Loop. */
    private void pingVerdict(boolean ok) {
        pingOk = ok;
        if (!handover.running()) {
            machine.pingNodesReachable(ok);
        }
    }

    private void watch(String link) {
        detector.watch(config.peer(), link);
        peerLinks.put(link, false);
        metrics.heartbeatLinkUp(config.peer(), link, false);
    }

    /** Loop: every keepalive. */
    private void beat() {
        try {
            if (!handover.running()) {
                machine.tick();
            }
            send(announced());
        } catch (RuntimeException e) {
            log.error("heartbeat round failed", e);
        }
    }

    /** What this node says about itself: LEAVING while it hands the VIP over. */
    private NodeState announced() {
        if (handover.running()) {
            // Still ACTIVE until the VIP is gone: the peer must not add it while we hold it.
            return handover.released() ? NodeState.LEAVING : NodeState.ACTIVE;
        }
        return switch (machine.role()) {
            case INIT -> NodeState.INIT;
            case STANDBY -> NodeState.STANDBY;
            case ACTIVE -> NodeState.ACTIVE;
            case LEAVING -> NodeState.LEAVING;
        };
    }

    /** Loop: one heartbeat on every link. */
    private CompletableFuture<Void> send(NodeState state) {
        return links.send(state);
    }

    /** Loop: an accepted heartbeat. */
    private void onPacket(String link, HeartbeatPacket packet) {
        if (!packet.node().equals(config.peer())) {
            log.debug("heartbeat from {} on {} ignored: not the peer {}", packet.node(), link, config.peer());
            return;
        }
        detector.onHeartbeat(link, packet);
        Role announced = switch (packet.state()) {
            case INIT -> Role.INIT;
            case STANDBY -> Role.STANDBY;
            case ACTIVE -> Role.ACTIVE;
            case LEAVING -> Role.LEAVING;
            case UP, DOWN -> null;
        };
        if (announced == null) {
            log.debug("heartbeat from {} says {}: not a role, ignored", packet.node(), packet.state());
            return;
        }
        Role before = peerRole;
        peerRole = announced;
        if (before == Role.ACTIVE && announced != Role.ACTIVE && machine.role() == Role.ACTIVE
                && !handover.running()) {
            // Split brain healed in our favour: neighbours may have learnt the peer's MAC meanwhile.
            log.info("peer {} gave up ACTIVE ({}): announcing the VIP again", packet.node(), announced);
            actions.reannounce();
        }
        if (!handover.running()) {
            machine.peerRole(announced);
        } else if (announced == Role.ACTIVE) {
            handover.peerTookOver();
        }
    }

    /** Loop: the state machine's verdict. */
    private void onRoleChange(RoleChange change) {
        if (quiet) {
            actions.restore(change.to());
            return;
        }
        actions.apply(change);
        if (change.to() != Role.LEAVING && !closed) {
            send(announced()); // tell the peer now, not a keepalive later
        }
    }

    /**
     * Loop, from {@link Handover}: gives the VIP up; the future completes (on the loop) when it is
     * gone and LEAVING has been sent, so the peer never adds the VIP while this node holds it.
     */
    CompletableFuture<Void> stepDown(String reason) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        actions.stepDown(reason).whenComplete((ok, e) -> loop.execute(() -> {
            send(NodeState.LEAVING);
            done.complete(null);
        }));
        return done;
    }

    /**
     * Loop, from {@link Handover}: replaces the state machine by a fresh one that starts STANDBY
     * and knows what is known of the peer, so it stays STANDBY under an ACTIVE peer.
     */
    void restartMachine() {
        machine = RoleStateMachine.of(config, System::nanoTime, this::onRoleChange);
        machine.peerLinks(Map.copyOf(peerLinks));
        if (peerRole != null) {
            machine.peerRole(peerRole);
        }
        machine.pingNodesReachable(pingOk);
        quiet = true;
        try {
            machine.start();
        } finally {
            quiet = false;
        }
        send(announced());
    }

    Role machineRole() {
        return machine.role();
    }

    EventLoop loop() {
        return loop;
    }

    boolean peerUpNow() {
        return peerLinks.containsValue(Boolean.TRUE);
    }

    /** The role in the peer's latest heartbeat, null when unknown or the peer is dead. */
    Role peerRole() {
        return peerRole;
    }

    String peer() {
        return config.peer();
    }

    String node() {
        return config.node();
    }

    Duration deadtime() {
        return config.timing().deadtime();
    }

    /**
     * {@code POST /failover}: the ACTIVE node releases the VIP, announces LEAVING until the peer
     * announces ACTIVE, then stays STANDBY. 409 when this node is not ACTIVE or the peer is not
     * alive. With auto-failback on, a preferred node handed over this way takes the VIP back after
     * initdead, as it would after any return.
     */
    public CompletableFuture<AdminResult> failover() {
        return handover.request();
    }

    /** This node's role now. */
    public Role role() {
        return actions.role();
    }

    /** Who holds the VIP as far as this node knows: itself, the peer, or nobody (null). */
    public String vipOwner() {
        if (actions.role() == Role.ACTIVE) {
            return config.node();
        }
        return peerUp && peerRole == Role.ACTIVE ? config.peer() : null;
    }

    /** For {@code GET /status}. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", config.node());
        m.put("role", actions.role().name().toLowerCase(Locale.ROOT));
        m.put("vip", vip.address().orElse(null));
        m.put("vip_held", vip.isHeld());
        m.put("vip_owner", vipOwner());
        m.put("peer", config.peer());
        m.put("peer_role", peerRole == null ? null : peerRole.name().toLowerCase(Locale.ROOT));
        Map<String, String> links = new LinkedHashMap<>();
        detector.status(config.peer()).ifPresent(s ->
                s.links().forEach((l, v) -> links.put(l, v.name().toLowerCase(Locale.ROOT))));
        m.put("peer_links", links);
        return m;
    }

    /**
     * Graceful stop: LEAVING, VIP released (waits up to 10 s), LEAVING sent on every link, links
     * closed. Blocking; safe to call twice and after a failed start.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (machine != null && links != null) {
                CompletableFuture<Void> released = new CompletableFuture<>();
                loop.execute(() -> {
                    timers.forEach(t -> t.cancel(false));
                    handover.abandon();
                    machine.stop();
                    actions.lastRelease().whenComplete((ok, e) -> released.complete(null));
                });
                waitFor(released, "releasing the VIP");
                // Twice: a single lost datagram should not cost the peer a deadtime.
                CompletableFuture<Void> first = new CompletableFuture<>();
                loop.execute(() -> send(NodeState.LEAVING).thenCompose(v -> send(NodeState.LEAVING))
                        .whenComplete((v, e) -> first.complete(null)));
                waitFor(first, "sending LEAVING");
            }
        } finally {
            if (ping != null) {
                ping.close();
            }
            if (links != null) {
                links.close();
            }
            actions.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static void waitFor(CompletableFuture<?> future, String what) {
        try {
            future.get(VIP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            log.warn("{} failed: {}", what, e.getCause().getMessage());
        } catch (TimeoutException e) {
            log.warn("{} did not finish within {}s", what, VIP_WAIT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rejections to metrics; the peer's link changes to metrics and the state machine (loop). */
    private final class DetectorEvents implements HeartbeatEvents {
        @Override
        public void rejected(RejectReason reason) {
            metrics.heartbeatRejected(reason.tag());
        }

        @Override
        public void linkChanged(String node, String link, Liveness from, Liveness to) {
            if (!node.equals(config.peer())) {
                return;
            }
            log.info("peer {} on {}: {} -> {}", node, link, from, to);
            metrics.heartbeatLinkUp(node, link, to.isUp());
            peerLinks.put(link, to.isUp());
            peerUp = peerLinks.containsValue(Boolean.TRUE);
            if (!peerUp) {
                peerRole = null;
            }
            if (!handover.running()) {
                machine.peerLinks(Map.copyOf(peerLinks));
            }
        }
    }
}
