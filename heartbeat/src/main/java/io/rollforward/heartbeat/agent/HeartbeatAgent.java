package io.rollforward.heartbeat.agent;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.rollforward.config.AgentConfig;
import io.rollforward.heartbeat.AuthKey;
import io.rollforward.heartbeat.HeartbeatCodec;
import io.rollforward.heartbeat.HeartbeatEvents;
import io.rollforward.heartbeat.HeartbeatSource;
import io.rollforward.heartbeat.NodeState;
import io.rollforward.heartbeat.udp.UdpHeartbeatTransport;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code rollforward agent}: runs beside a web server and sends a signed heartbeat to each proxy
 * every keepalive, saying UP while the local check passes. When the check fails it sends DOWN at
 * once (and keeps sending DOWN) instead of going silent, so the proxy rolls forward now rather than
 * after deadtime; when it passes again it sends UP at once. {@link #close()} sends a final DOWN.
 *
 * <p>Heartbeats go out on an event loop of the given group; the HTTP check runs on its own thread.
 * Without a configured check the agent reports UP while it runs.
 */
public final class HeartbeatAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatAgent.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private final AgentConfig config;
    private final HeartbeatSource source;
    private final UdpHeartbeatTransport transport;
    private final Optional<LocalHealthCheck> check;
    private final ScheduledExecutorService checkThread;
    private final Duration checkInterval;
    /** Null until the first check has run: we do not claim UP before we know. */
    private volatile NodeState state;
    /** Written on the event loop only, so no heartbeat can follow the final DOWN. */
    private volatile boolean stopped;
    /** Set first thing in close(), so a check interrupted by the stop is not taken for a failure. */
    private volatile boolean closed;
    private volatile ScheduledFuture<?> sending;

    /**
     * Opens the sending socket. Call {@link #start()} to begin.
     *
     * @param config node name, send-to addresses, timing, optional local check
     * @param key    the shared key ({@link AuthKey#read})
     * @param group  event loops to send on
     */
    public HeartbeatAgent(AgentConfig config, AuthKey key, EventLoopGroup group) {
        this(config, key, group, config.timing().keepalive());
    }

    /**
     * As {@link #HeartbeatAgent(AgentConfig, AuthKey, EventLoopGroup)}, checking every
     * {@code checkInterval} instead of every keepalive (ldirectord's {@code checkinterval}).
     */
    public HeartbeatAgent(AgentConfig config, AuthKey key, EventLoopGroup group, Duration checkInterval) {
        this.config = Objects.requireNonNull(config, "config");
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException("checkInterval: " + checkInterval + " (expected: > 0)");
        }
        this.checkInterval = checkInterval;
        this.source = new HeartbeatSource(config.node());
        // The agent receives nothing; the codec's max age only matters for decoding.
        HeartbeatCodec codec = new HeartbeatCodec(key, config.timing().deadtime(), HeartbeatEvents.NONE);
        this.transport = UdpHeartbeatTransport.openSender(group, config.sendTo(), codec);
        this.check = config.check().map(LocalHealthCheck::new);
        this.checkThread = check.isPresent()
                ? Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "rollforward-agent-check");
                    t.setDaemon(true);
                    return t;
                })
                : null;
        this.state = check.isPresent() ? null : NodeState.UP;
    }

    /** Starts the check (if any) and the heartbeats. */
    public synchronized void start() {
        long keepalive = config.timing().keepalive().toNanos();
        log.info("Agent {} sending heartbeats to {} every {} ms{}", config.node(), transport.targets(),
                config.timing().keepalive().toMillis(), check.map(c -> ", checking " + c).orElse(""));
        if (checkThread != null) {
            // Fixed delay: a slow check (up to its timeout) never piles up behind itself.
            checkThread.scheduleWithFixedDelay(this::runCheck, 0, checkInterval.toNanos(), TimeUnit.NANOSECONDS);
        }
        // With a check, the first heartbeat is sent by the first check result; the periodic ones follow.
        long firstDelay = checkThread != null ? keepalive : 0;
        sending = transport.eventLoop().scheduleAtFixedRate(this::sendHeartbeat, firstDelay, keepalive,
                TimeUnit.NANOSECONDS);
    }

    /** What the agent is announcing now; empty before the first check has finished. */
    public Optional<NodeState> state() {
        return Optional.ofNullable(state);
    }

    /** The node name the agent signs with. */
    public String node() {
        return config.node();
    }

    private void runCheck() {
        try {
            checkOnce();
        } catch (RuntimeException e) {
            // An exception would silently end scheduleWithFixedDelay; log and keep checking.
            log.warn("Agent {}: check round failed", config.node(), e);
        }
    }

    private void checkOnce() {
        LocalHealthCheck.Outcome outcome = check.orElseThrow().run();
        NodeState next = outcome.passed() ? NodeState.UP : NodeState.DOWN;
        NodeState before = state;
        if (next == before || closed) {
            return;
        }
        if (next == NodeState.DOWN) {
            log.warn("Local check {} failed: {}; reporting DOWN", check.get(), outcome.detail());
        } else {
            log.info("Local check {} passes; reporting UP", check.get());
        }
        state = next;
        // Tell the proxy now, not at the next keepalive.
        transport.eventLoop().execute(this::sendHeartbeat);
    }

    private void sendHeartbeat() {
        NodeState s = state;
        if (s == null || stopped) {
            return;
        }
        try {
            transport.send(source.next(s));
        } catch (RuntimeException e) {
            log.warn("Agent {} could not send a heartbeat", config.node(), e);
        }
    }

    /** Stops checking, sends a final DOWN (waiting up to 1 s for it to leave) and closes the socket. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (checkThread != null) {
            checkThread.shutdownNow();
        }
        // On the event loop, so that no scheduled UP can slip in after the final DOWN.
        if (transport.eventLoop().isShuttingDown()) {
            log.warn("Agent {}: event loop already stopping, no final DOWN heartbeat", config.node());
            transport.close();
            return;
        }
        Future<Future<Void>> last = transport.eventLoop().submit(() -> {
            stopped = true;
            if (sending != null) {
                sending.cancel(false);
            }
            state = NodeState.DOWN;
            return transport.send(source.next(NodeState.DOWN));
        });
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        boolean sent = last.awaitUninterruptibly(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS) && last.isSuccess()
                && last.getNow().awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                && last.getNow().isSuccess();
        if (!sent) {
            log.warn("Agent {}: final DOWN heartbeat not confirmed sent", config.node());
        }
        transport.close();
        log.info("Agent {} stopped", config.node());
    }
}
