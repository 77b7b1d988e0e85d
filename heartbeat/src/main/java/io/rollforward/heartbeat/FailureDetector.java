package io.rollforward.heartbeat;

import io.rollforward.config.Timing;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which nodes are alive from the heartbeats they send, with Linux-HA heartbeat's timing
 * (ha.cf): a link silent for {@code warntime} is late (warned once per gap), silent for
 * {@code deadtime} is dead; a node never heard since this detector started is given
 * {@code initdead} instead, so a slow boot is not taken for a failure.
 *
 * <p>Liveness is kept per (node, link). A node is {@link Liveness#DEAD} only when every link to it
 * is dead, as heartbeat does with several media: a live serial link keeps a UDP outage from
 * becoming split brain. A node that is heard but announces {@link NodeState#DOWN} is
 * {@link Liveness#REPORTED_DOWN} at once.
 *
 * <p>Driven by {@link #onHeartbeat} and by {@link #check()}, which the owner runs about every
 * keepalive/4 ({@link #scheduleChecks}). Both must be called from one thread, the owner's event
 * loop; {@link #status} and {@link #aliveOnAnyLink} may be called from any thread.
 */
public final class FailureDetector {
    private static final Logger log = LoggerFactory.getLogger(FailureDetector.class);

    /** Link name used by {@link #onHeartbeat(HeartbeatPacket)}. */
    public static final String DEFAULT_LINK = "udp";

    private static final long NEVER = Long.MIN_VALUE;

    private static final class LinkState {
        long lastHeard = NEVER;
        Liveness liveness = Liveness.STARTING;
    }

    private static final class NodeEntry {
        final Map<String, LinkState> links = new LinkedHashMap<>();
        Liveness liveness = Liveness.STARTING;
        NodeState reported;
        long generation;
        OptionalInt load = OptionalInt.empty();
    }

    private final Timing timing;
    private final LongSupplier nanoTime;
    private final HeartbeatEvents events;
    private final long startedAt;
    private final Map<String, NodeEntry> nodes = new LinkedHashMap<>();
    private final Map<String, NodeStatus> published = new ConcurrentHashMap<>();

    /**
     * @param timing   keepalive/warntime/deadtime/initdead
     * @param nanoTime monotonic clock in ns ({@code System::nanoTime}; a fake one in tests)
     * @param events   told about late links and liveness changes
     */
    public FailureDetector(Timing timing, LongSupplier nanoTime, HeartbeatEvents events) {
        this.timing = Objects.requireNonNull(timing, "timing");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.events = Objects.requireNonNull(events, "events");
        if (timing.warntime().compareTo(timing.deadtime()) >= 0) {
            throw new IllegalArgumentException("warntime: " + timing.warntime()
                    + " (expected: < deadtime " + timing.deadtime() + ")");
        }
        if (timing.initdead().compareTo(timing.deadtime()) < 0) {
            throw new IllegalArgumentException("initdead: " + timing.initdead()
                    + " (expected: >= deadtime " + timing.deadtime() + ")");
        }
        this.startedAt = nanoTime.getAsLong();
    }

    /** A detector on {@link System#nanoTime()}. */
    public FailureDetector(Timing timing, HeartbeatEvents events) {
        this(timing, System::nanoTime, events);
    }

    /**
     * Declares that {@code node} is expected on {@code link}, so that it is reported
     * {@link Liveness#DEAD} after initdead even if it never sends a single heartbeat.
     */
    public void watch(String node, String link) {
        NodeEntry entry = nodes.computeIfAbsent(node, n -> new NodeEntry());
        entry.links.computeIfAbsent(link, l -> new LinkState());
        publish(node, entry);
    }

    /** A verified heartbeat that arrived on {@link #DEFAULT_LINK}. */
    public void onHeartbeat(HeartbeatPacket packet) {
        onHeartbeat(DEFAULT_LINK, packet);
    }

    /** A verified heartbeat (accepted by {@link HeartbeatCodec}) that arrived on {@code link}. */
    public void onHeartbeat(String link, HeartbeatPacket packet) {
        String node = packet.node();
        NodeEntry entry = nodes.computeIfAbsent(node, n -> new NodeEntry());
        LinkState ls = entry.links.computeIfAbsent(link, l -> new LinkState());
        ls.lastHeard = nanoTime.getAsLong();
        if (entry.generation != 0 && packet.generation() > entry.generation) {
            long old = entry.generation;
            log.info("Node {} restarted (generation {} -> {})", node, old, packet.generation());
            fire(() -> events.restarted(node, old, packet.generation()));
        }
        entry.generation = Math.max(entry.generation, packet.generation());
        entry.load = packet.load();
        NodeState before = entry.reported;
        entry.reported = packet.state();
        if (before != packet.state()) {
            log.info("Node {} reports {} (was {})", node, packet.state(), before);
            fire(() -> events.reportedStateChanged(node, before, packet.state()));
        }
        setLink(node, link, ls, Liveness.ALIVE);
        updateNode(node, entry);
        publish(node, entry);
    }

    /** Re-evaluates every link against the clock: late, dead, initdead. Run about every keepalive/4. */
    public void check() {
        long now = nanoTime.getAsLong();
        for (Map.Entry<String, NodeEntry> e : nodes.entrySet()) {
            String node = e.getKey();
            NodeEntry entry = e.getValue();
            for (Map.Entry<String, LinkState> le : entry.links.entrySet()) {
                LinkState ls = le.getValue();
                Liveness next = linkLiveness(ls, now);
                if (next == Liveness.LATE && ls.liveness == Liveness.ALIVE) {
                    Duration silence = Duration.ofNanos(now - ls.lastHeard);
                    log.warn("Late heartbeat: node {} on link {}: silent for {} ms (warntime {} ms)",
                            node, le.getKey(), silence.toMillis(), timing.warntime().toMillis());
                    fire(() -> events.late(node, le.getKey(), silence));
                }
                setLink(node, le.getKey(), ls, next);
            }
            updateNode(node, entry);
            publish(node, entry);
        }
    }

    /**
     * Runs {@link #check()} on {@code executor} (the owner's event loop) every keepalive/4, at
     * least every 10 ms. Cancel the returned future to stop.
     */
    public ScheduledFuture<?> scheduleChecks(ScheduledExecutorService executor) {
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(10), timing.keepalive().toNanos() / 4);
        return executor.scheduleAtFixedRate(() -> {
            try {
                check();
            } catch (RuntimeException e) {
                log.error("Failure detector check failed", e);
            }
        }, period, period, TimeUnit.NANOSECONDS);
    }

    /** The node's liveness as a whole; {@link Liveness#STARTING} for a node never watched nor heard. */
    public Liveness liveness(String node) {
        NodeStatus s = published.get(node);
        return s == null ? Liveness.STARTING : s.liveness();
    }

    /** True when a heartbeat came from {@code node} on some link within deadtime. */
    public boolean aliveOnAnyLink(String node) {
        NodeStatus s = published.get(node);
        return s != null && s.links().values().stream()
                .anyMatch(l -> l == Liveness.ALIVE || l == Liveness.LATE);
    }

    /** What is known about {@code node}, if it was watched or heard. */
    public Optional<NodeStatus> status(String node) {
        return Optional.ofNullable(published.get(node));
    }

    /** What is known about every node. */
    public Map<String, NodeStatus> statuses() {
        return Map.copyOf(published);
    }

    private Liveness linkLiveness(LinkState ls, long now) {
        if (ls.lastHeard == NEVER) {
            return now - startedAt >= timing.initdead().toNanos() ? Liveness.DEAD : Liveness.STARTING;
        }
        long silence = now - ls.lastHeard;
        if (silence >= timing.deadtime().toNanos()) {
            return Liveness.DEAD;
        }
        return silence >= timing.warntime().toNanos() ? Liveness.LATE : Liveness.ALIVE;
    }

    private void setLink(String node, String link, LinkState ls, Liveness next) {
        Liveness before = ls.liveness;
        if (before == next) {
            return;
        }
        ls.liveness = next;
        if (next == Liveness.DEAD) {
            log.warn("Node {} is dead on link {}", node, link);
        }
        fire(() -> events.linkChanged(node, link, before, next));
    }

    private void updateNode(String node, NodeEntry entry) {
        boolean heard = false;
        Liveness best = Liveness.DEAD;
        for (LinkState ls : entry.links.values()) {
            heard |= ls.lastHeard != NEVER;
            if (ls.liveness == Liveness.ALIVE) {
                best = Liveness.ALIVE;
            } else if (ls.liveness == Liveness.LATE && best != Liveness.ALIVE) {
                best = Liveness.LATE;
            }
        }
        Liveness next;
        if (!heard) {
            // initdead: never heard since start-up; every link agrees on STARTING or DEAD.
            next = entry.links.values().stream().anyMatch(l -> l.liveness == Liveness.STARTING)
                    ? Liveness.STARTING : Liveness.DEAD;
        } else if (best.isUp() && entry.reported == NodeState.DOWN) {
            next = Liveness.REPORTED_DOWN;
        } else {
            next = best;
        }
        Liveness before = entry.liveness;
        if (before == next) {
            return;
        }
        entry.liveness = next;
        if (next == Liveness.DEAD) {
            log.warn("Node {} is dead: no heartbeat on any link for {} ms", node,
                    heard ? timing.deadtime().toMillis() : timing.initdead().toMillis());
        } else {
            log.info("Node {}: {} -> {}", node, before, next);
        }
        fire(() -> events.nodeChanged(node, before, next));
    }

    private void publish(String node, NodeEntry entry) {
        Map<String, Liveness> links = new LinkedHashMap<>();
        entry.links.forEach((name, ls) -> links.put(name, ls.liveness));
        published.put(node, new NodeStatus(node, entry.liveness, links, Optional.ofNullable(entry.reported),
                entry.generation, entry.load));
    }

    private static void fire(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("Heartbeat listener threw", e);
        }
    }
}
