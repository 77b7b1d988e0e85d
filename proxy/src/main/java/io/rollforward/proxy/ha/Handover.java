package io.rollforward.proxy.ha;

import io.netty.util.concurrent.ScheduledFuture;
import io.rollforward.heartbeat.ha.Role;
import io.rollforward.proxy.admin.AdminResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /failover}: the ACTIVE node hands the VIP to its peer, like Linux-HA's
 * {@code hb_standby}. It releases the VIP, then announces LEAVING, which the peer's state machine
 * answers by taking over at once; when the peer announces ACTIVE this node restarts its state
 * machine, which starts STANDBY and stays there under an ACTIVE peer.
 *
 * <p>If the peer does not announce ACTIVE within {@link #timeout} (it may reach no ping node),
 * the state machine restarts anyway and the pair decides afresh by the usual rules. While a
 * handover runs the old state machine is not fed, so it cannot take the VIP back.
 *
 * <p>Loop-confined, except {@link #request()} and {@link #running()}.
 */
final class Handover {
    private final HaNode node;
    private CompletableFuture<AdminResult> pending;
    private ScheduledFuture<?> timer;
    private volatile boolean running;
    private boolean released;

    Handover(HaNode node) {
        this.node = node;
    }

    /** Starts a handover from any thread; completes when it succeeded or was refused. */
    CompletableFuture<AdminResult> request() {
        CompletableFuture<AdminResult> result = new CompletableFuture<>();
        node.loop().execute(() -> begin(result));
        return result;
    }

    /** True from the request until the peer took over (or the timeout). */
    boolean running() {
        return running;
    }

    /** Loop: the VIP is gone and LEAVING was sent. */
    boolean released() {
        return released;
    }

    private void begin(CompletableFuture<AdminResult> result) {
        if (running) {
            result.complete(AdminResult.conflict("a failover is already running"));
            return;
        }
        Role role = node.machineRole();
        if (role != Role.ACTIVE) {
            result.complete(AdminResult.conflict(node.node() + " is " + role
                    + ", not ACTIVE: nothing to hand over"));
            return;
        }
        if (!node.peerUpNow()) {
            result.complete(AdminResult.conflict("peer " + node.peer()
                    + " is not heard on any link: nobody to hand the VIP to"));
            return;
        }
        if (node.peerRole() == Role.LEAVING) {
            result.complete(AdminResult.conflict(node.peer() + " is leaving: nobody to hand the VIP to"));
            return;
        }
        running = true;
        released = false;
        pending = result;
        node.stepDown("failover requested: handing the VIP to " + node.peer()).thenRun(() -> released = true);
        timer = node.loop().schedule(this::timedOut, timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Loop: the peer announces ACTIVE. */
    void peerTookOver() {
        if (!running || !released) {
            return;
        }
        finish(AdminResult.ok(node.peer() + " is ACTIVE; " + node.node() + " stays STANDBY"));
    }

    /** Loop: stopping; a pending request is answered. */
    void abandon() {
        if (running) {
            timer.cancel(false);
            running = false;
            pending.complete(AdminResult.conflict("stopping: the failover was cut short"));
            pending = null;
        }
    }

    private void timedOut() {
        if (running) {
            finish(AdminResult.conflict("peer " + node.peer() + " did not announce ACTIVE within "
                    + timeout().toMillis() + " ms; " + node.node() + " is STANDBY and the pair decides afresh"));
        }
    }

    private void finish(AdminResult result) {
        timer.cancel(false);
        running = false;
        node.restartMachine();
        pending.complete(result);
        pending = null;
    }

    /** Long enough for the release, a heartbeat each way and the peer's acquire. */
    private Duration timeout() {
        Duration twice = node.deadtime().multipliedBy(2);
        return twice.compareTo(Duration.ofSeconds(2)) > 0 ? twice : Duration.ofSeconds(2);
    }
}
