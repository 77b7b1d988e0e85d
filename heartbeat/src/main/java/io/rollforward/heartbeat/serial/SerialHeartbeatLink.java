package io.rollforward.heartbeat.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.rollforward.config.SerialLink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A serial heartbeat link (ha.cf's {@code serial}/{@code baud}): carries opaque heartbeat
 * frames between the two nodes of the HA pair over a null-modem cable, so that a UDP outage
 * alone does not make both nodes think the other is dead (split brain).
 *
 * <p>Framing: one frame per line, base64 + {@code '\n'} (see {@link LineFramer}). The frame
 * bytes are the heartbeat codec's business; this class never looks inside.
 *
 * <p>Threads: all port I/O runs here, never on a Netty event loop. One thread
 * ({@code serial-io-DEVICE}) opens, closes, reopens and writes; one reader thread per open port
 * ({@code serial-read-DEVICE}) reads and calls the {@link FrameListener}. A listener that feeds
 * Netty code should hand the frame over with {@code eventLoop().execute(...)}.
 *
 * <p>Losing the port: when the device goes away (the cable's USB adapter is unplugged, the PTY's
 * other end dies) {@code readBytes} returns -1 and jSerialComm fires
 * {@code LISTENING_EVENT_PORT_DISCONNECTED} again and again until the port is closed. The first
 * sign closes the port from the io thread (closing from inside jSerialComm's event callback is
 * not allowed) and later signs are ignored; then the link reopens the device with exponential
 * backoff ({@code minBackoff} doubling up to {@code maxBackoff}). Each change between open and
 * down is logged once, not every retry.
 *
 * <p>Stale frames: bytes written while nobody read (the peer's port was closed, the link was
 * reopening) may be delivered much later by the kernel's tty buffer. This class cannot tell; it
 * passes each frame's receive time and the caller drops heartbeats whose own timestamp (or
 * sequence number) is too old, like any replayed heartbeat.
 *
 * <p>{@code openPort()} on a PTY may leave last error 25 (ENOTTY) although the port works: this
 * is harmless and ignored.
 */
public final class SerialHeartbeatLink implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SerialHeartbeatLink.class);

    /** Writes queued while the port is slow; more are dropped (a heartbeat late is a heartbeat lost). */
    private static final int MAX_PENDING_WRITES = 64;
    /** Short enough that the reader notices {@link #close()} quickly. */
    private static final int READ_TIMEOUT_MS = 200;
    private static final int WRITE_TIMEOUT_MS = 1000;

    /** Receives each frame with the time its last byte was read. Called on the reader thread. */
    @FunctionalInterface
    public interface FrameListener {
        void onFrame(byte[] frame, Instant receivedAt);
    }

    private final SerialLink link;
    private final FrameListener listener;
    private final Clock clock;
    private final long minBackoffNanos;
    private final long maxBackoffNanos;
    private final ScheduledThreadPoolExecutor io;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicInteger pendingWrites = new AtomicInteger();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong disconnectEvents = new AtomicLong();
    private final AtomicLong framesReceived = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong sendsDropped = new AtomicLong();
    private final PortSession.Events events = new SessionEvents();
    private volatile PortSession session;
    private volatile boolean closed;
    /** io thread only. */
    private long backoffNanos;
    /** io thread only: the state last logged, so each change is logged once. */
    private Boolean loggedOpen;

    /** A link with the system clock and reopen backoff 100ms..5s. Call {@link #start()}. */
    public SerialHeartbeatLink(SerialLink link, FrameListener listener) {
        this(link, listener, Clock.systemUTC(), Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    public SerialHeartbeatLink(SerialLink link, FrameListener listener, Clock clock,
                               Duration minBackoff, Duration maxBackoff) {
        this.link = Objects.requireNonNull(link, "link");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (link.baud() <= 0) {
            throw new IllegalArgumentException("serial.baud: " + link.baud() + " (expected: > 0)");
        }
        if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("backoff: " + minBackoff + ".." + maxBackoff
                    + " (expected: 0 < min <= max)");
        }
        this.minBackoffNanos = minBackoff.toNanos();
        this.maxBackoffNanos = maxBackoff.toNanos();
        this.backoffNanos = minBackoffNanos;
        this.io = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "serial-io-" + link.device());
            t.setDaemon(true);
            return t;
        });
        io.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Opens the port in the background; retries with backoff until it opens. Idempotent. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            submit(this::tryOpen);
        }
    }

    /** True while the port is open and has not been seen to disconnect. */
    public boolean isOpen() {
        PortSession s = session;
        return s != null && !s.isLost();
    }

    /**
     * Queues one frame for writing and returns at once (safe from an event loop). Returns false,
     * and counts a dropped send, when the port is not open or too many writes are queued.
     *
     * @throws IllegalArgumentException if the frame is empty (it would be a blank line, which
     *                                  the receiving end skips)
     */
    public boolean send(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (frame.length == 0) {
            throw new IllegalArgumentException("frame: empty (expected: at least one byte)");
        }
        if (closed || !isOpen()) {
            sendsDropped.incrementAndGet();
            return false;
        }
        if (pendingWrites.incrementAndGet() > MAX_PENDING_WRITES) {
            pendingWrites.decrementAndGet();
            sendsDropped.incrementAndGet();
            return false;
        }
        byte[] line = LineFramer.encode(frame);
        if (!submit(() -> {
            pendingWrites.decrementAndGet();
            write(line);
        })) {
            pendingWrites.decrementAndGet();
            sendsDropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Closes the port and stops reopening. Does not wait; the threads end on their own. */
    @Override
    public void close() {
        closed = true;
        submit(() -> {
            PortSession s = session;
            session = null;
            if (s != null) {
                s.close();
                log.info("serial link {} closed", link.device());
            }
        });
        io.shutdown();
    }

    /** Times the port was lost and closed (one per loss, however often jSerialComm repeats it). */
    public long disconnects() {
        return disconnects.get();
    }

    /** Raw PORT_DISCONNECTED callbacks from jSerialComm (a busy loop would make this grow). */
    public long disconnectEvents() {
        return disconnectEvents.get();
    }

    public long framesReceived() {
        return framesReceived.get();
    }

    public long framesSent() {
        return framesSent.get();
    }

    public long sendsDropped() {
        return sendsDropped.get();
    }

    private boolean submit(Runnable task) {
        try {
            io.execute(task);
            return true;
        } catch (RejectedExecutionException afterClose) {
            return false;
        }
    }

    /** io thread. */
    private void tryOpen() {
        if (closed || session != null) {
            return;
        }
        SerialPort port;
        try {
            port = SerialPort.getCommPort(link.device());
        } catch (RuntimeException noSuchPort) { // SerialPortInvalidPortException
            openFailed(noSuchPort.getMessage());
            return;
        }
        port.setComPortParameters(link.baud(), 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING | SerialPort.TIMEOUT_WRITE_BLOCKING,
                READ_TIMEOUT_MS, WRITE_TIMEOUT_MS);
        if (!port.openPort()) {
            openFailed("openPort failed, error " + port.getLastErrorCode());
            return;
        }
        // getLastErrorCode() may now be 25 (ENOTTY) on a PTY: the port works, ignore it.
        PortSession s = new PortSession(port, link.device(), clock, events);
        session = s;
        backoffNanos = minBackoffNanos;
        logState(true, "open at " + link.baud() + " baud");
        s.start();
    }

    /** io thread. */
    private void openFailed(String why) {
        logState(false, "cannot open (" + why + "), retrying with backoff up to "
                + Duration.ofNanos(maxBackoffNanos).toMillis() + "ms");
        scheduleReopen();
    }

    /** io thread. */
    private void scheduleReopen() {
        if (closed) {
            return;
        }
        long delay = backoffNanos;
        backoffNanos = Math.min(maxBackoffNanos, backoffNanos * 2);
        try {
            io.schedule(this::tryOpen, delay, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException afterClose) {
            // closed meanwhile: nothing to reopen
        }
    }

    /** io thread: the port's first sign of loss (later ones never get here). */
    private void closeLost(PortSession s, String why) {
        if (session != s) {
            return; // already closed by close()
        }
        session = null;
        s.port().closePort(); // stops jSerialComm's PORT_DISCONNECTED busy loop
        disconnects.incrementAndGet();
        logState(false, "lost (" + why + "), reopening");
        scheduleReopen();
    }

    /** io thread. */
    private void write(byte[] line) {
        PortSession s = session;
        if (s == null || s.isLost()) {
            sendsDropped.incrementAndGet();
            return;
        }
        int n = s.port().writeBytes(line, line.length);
        if (n < 0) {
            sendsDropped.incrementAndGet();
            s.lost("write failed, error " + s.port().getLastErrorCode());
        } else if (n < line.length) {
            // Timed out mid-line: the peer's framer drops the cut line as malformed.
            sendsDropped.incrementAndGet();
            log.debug("serial link {}: wrote {} of {} bytes before the write timeout", link.device(), n, line.length);
        } else {
            framesSent.incrementAndGet();
        }
    }

    /** io thread. */
    private void logState(boolean open, String what) {
        if (loggedOpen == null || loggedOpen != open) {
            loggedOpen = open;
            if (open) {
                log.info("serial link {} {}", link.device(), what);
            } else {
                log.warn("serial link {} {}", link.device(), what);
            }
        } else {
            log.debug("serial link {} {}", link.device(), what);
        }
    }

    /** Calls from the session's reader and jSerialComm's event thread. */
    private final class SessionEvents implements PortSession.Events {
        @Override
        public void onFrame(byte[] frame, Instant receivedAt) {
            framesReceived.incrementAndGet();
            try {
                listener.onFrame(frame, receivedAt);
            } catch (RuntimeException e) {
                log.warn("serial link {}: frame listener failed", link.device(), e);
            }
        }

        @Override
        public void onLost(PortSession s, String why) {
            // Close from the io thread: jSerialComm forbids closing inside its event callback.
            submit(() -> closeLost(s, why));
        }

        @Override
        public void onDisconnectEvent() {
            disconnectEvents.incrementAndGet();
        }
    }
}
