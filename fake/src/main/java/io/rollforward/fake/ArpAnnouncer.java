package io.rollforward.fake;

import io.rollforward.config.GarpConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Schedules gratuitous ARP announcements after taking the VIP, following keepalived's settings:
 * a burst of {@code count} announcements {@code interval} apart ({@code garp_master_repeat}),
 * an optional second burst {@code secondBurstDelay} after the first ({@code garp_master_delay}),
 * and an optional single announcement every {@code refresh} while active
 * ({@code garp_master_refresh}, with keepalived's default refresh repeat of 1).
 *
 * <p>Each announcement is one call of the sender (which sends both ARP forms). Sends run on the
 * given single-thread scheduler, never a Netty event loop. {@link #stop()} cancels every pending
 * send; a send that already started finishes, and none starts after {@code stop} returns.
 */
public final class ArpAnnouncer {
    private static final Logger log = LoggerFactory.getLogger(ArpAnnouncer.class);

    private final GarpConfig config;
    private final Runnable sender;
    private final ScheduledExecutorService executor;
    private final List<ScheduledFuture<?>> pending = new ArrayList<>();
    /** Bumped by every start/stop; a task from an older round does nothing. */
    private volatile long round;
    private boolean active;
    private int failures;

    /**
     * @param config   count, interval, second burst, refresh
     * @param sender   sends one announcement (both forms); exceptions are logged, not fatal
     * @param executor a single-thread scheduler the announcer may use (not an event loop)
     * @throws IllegalArgumentException when the config cannot be scheduled
     */
    public ArpAnnouncer(GarpConfig config, Runnable sender, ScheduledExecutorService executor) {
        if (config.count() < 0) {
            throw new IllegalArgumentException("vip.garp.count: " + config.count() + " (expected: >= 0)");
        }
        if (config.count() > 1 && !positive(config.interval())) {
            throw new IllegalArgumentException("vip.garp.interval: " + config.interval() + " (expected: > 0 when count > 1)");
        }
        requireNotNegative("vip.garp.second-burst-delay", config.secondBurstDelay());
        requireNotNegative("vip.garp.refresh", config.refresh());
        this.config = config;
        this.sender = sender;
        this.executor = executor;
    }

    /** Starts announcing (again, from the first burst, if already active). */
    public synchronized void start() {
        cancelPending();
        long myRound = ++round;
        active = true;
        failures = 0;
        scheduleBurst(myRound, Duration.ZERO);
        if (positive(config.secondBurstDelay())) {
            scheduleBurst(myRound, config.secondBurstDelay());
        }
        if (positive(config.refresh())) {
            long period = config.refresh().toNanos();
            pending.add(executor.scheduleAtFixedRate(() -> announce(myRound), period, period, TimeUnit.NANOSECONDS));
        }
    }

    /** Stops announcing: cancels all pending sends. Idempotent. */
    public synchronized void stop() {
        round++;
        active = false;
        cancelPending();
    }

    public synchronized boolean isActive() {
        return active;
    }

    private void scheduleBurst(long myRound, Duration offset) {
        long start = offset.toNanos();
        long gap = config.interval() == null ? 0 : config.interval().toNanos();
        for (int i = 0; i < config.count(); i++) {
            // Each packet is scheduled from the same origin, so one slow send does not push the rest back.
            pending.add(executor.schedule(() -> announce(myRound), start + i * gap, TimeUnit.NANOSECONDS));
        }
    }

    private void announce(long myRound) {
        if (round != myRound) {
            return;
        }
        try {
            sender.run();
        } catch (RuntimeException e) {
            int n;
            synchronized (this) {
                n = ++failures;
            }
            // One warning per round and then debug, so a dead interface does not flood the log.
            if (n == 1) {
                log.warn("gratuitous ARP announcement failed: {}", e.getMessage());
            } else {
                log.debug("gratuitous ARP announcement failed again ({} so far): {}", n, e.getMessage());
            }
        }
    }

    private void cancelPending() {
        for (ScheduledFuture<?> future : pending) {
            future.cancel(false);
        }
        pending.clear();
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }

    private static void requireNotNegative(String key, Duration d) {
        if (d != null && d.isNegative()) {
            throw new IllegalArgumentException(key + ": " + d + " (expected: >= 0, 0 = off)");
        }
    }
}
