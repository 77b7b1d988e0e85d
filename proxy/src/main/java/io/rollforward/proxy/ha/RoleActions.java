package io.rollforward.proxy.ha;

import io.rollforward.heartbeat.ha.NotifyCommands;
import io.rollforward.heartbeat.ha.Role;
import io.rollforward.heartbeat.ha.RoleChange;
import io.rollforward.proxy.metrics.ProxyMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a role change does outside the state machine, like heartbeat's resource scripts and
 * keepalived's notify hooks: one log line with the reason, {@code rollforward_role{role}}, the VIP
 * (take it on becoming ACTIVE, give it back on leaving ACTIVE, {@code rollforward_vip_owned}
 * once done), the operator's notify command, and the test observer.
 *
 * <p>A VIP that could not be taken (an interface not up yet, a transient netlink error) is tried
 * again while this node stays ACTIVE, after 1 s, then doubling up to 30 s, each failure logged:
 * stepping down instead would leave the address with nobody, since the peer is dead or leaving.
 *
 * <p>Called on the HA node's event loop; every call returns at once (the VIP and the commands
 * work on threads of their own). {@link #role()} may be read from any thread.
 */
final class RoleActions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoleActions.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final ProxyMetrics metrics;
    private final VipHolder vip;
    private final NotifyCommands notify;
    private final RoleChange.Listener observer;
    private final ScheduledExecutorService loop;
    private final Duration firstRetry;
    private volatile Role role = Role.INIT;
    private CompletableFuture<Void> lastRelease = CompletableFuture.completedFuture(null);
    /** Counts role changes (loop only): a retry scheduled for an earlier ACTIVE spell is dropped. */
    private long changes;

    /** {@code loop} is the HA node's event loop: every call but {@link #role()} comes from it. */
    RoleActions(ProxyMetrics metrics, VipHolder vip, NotifyCommands notify, RoleChange.Listener observer,
                ScheduledExecutorService loop) {
        this(metrics, vip, notify, observer, loop, FIRST_RETRY);
    }

    RoleActions(ProxyMetrics metrics, VipHolder vip, NotifyCommands notify, RoleChange.Listener observer,
                ScheduledExecutorService loop, Duration firstRetry) {
        this.metrics = metrics;
        this.vip = vip;
        this.notify = notify;
        this.observer = observer;
        this.loop = loop;
        this.firstRetry = firstRetry;
    }

    /** A transition decided by the state machine, or by hand ({@link #stepDown}). */
    void apply(RoleChange change) {
        log.info("HA role {} -> {}: {}", change.from(), change.to(), change.reason());
        restore(change.to());
        changes++;
        if (change.to() == Role.ACTIVE) {
            acquire(changes, firstRetry);
        } else if (change.from() == Role.ACTIVE) {
            lastRelease = vip.release();
            lastRelease.whenComplete((ok, e) -> vipDone("releasing", e));
        }
        notify.onRoleChange(change);
        try {
            observer.onRoleChange(change);
        } catch (RuntimeException e) {
            log.warn("role change observer failed", e);
        }
    }

    /** Loop: takes the VIP; on failure tries again after {@code retry} while still in the same ACTIVE spell. */
    private void acquire(long spell, Duration retry) {
        vip.acquire().whenComplete((ok, e) -> {
            vipDone("acquiring", e);
            if (e != null) {
                log.warn("trying to take VIP {} again in {} ms", vip.address().orElse("none"), retry.toMillis());
                loop.schedule(() -> {
                    if (spell == changes && role == Role.ACTIVE) {
                        Duration next = retry.multipliedBy(2);
                        acquire(spell, next.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : next);
                    }
                }, retry.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Only records {@code to} (a restarted state machine starting again in the role we are in). */
    void restore(Role to) {
        role = to;
        metrics.role(to.name());
    }

    /** ACTIVE to STANDBY by hand (a failover); completes when the VIP is gone. */
    CompletableFuture<Void> stepDown(String reason) {
        apply(new RoleChange(Role.ACTIVE, Role.STANDBY, reason));
        return lastRelease;
    }

    /** One more gratuitous ARP for the VIP this node holds (a split brain healed in our favour). */
    void reannounce() {
        vip.reannounce().whenComplete((ok, e) -> vipDone("re-announcing", e));
    }

    /** The release started by the last step down from ACTIVE (completed if none). */
    CompletableFuture<Void> lastRelease() {
        return lastRelease;
    }

    Role role() {
        return role;
    }

    private void vipDone(String what, Throwable failure) {
        metrics.vipOwned(vip.isHeld());
        if (failure != null) {
            log.error("{} VIP {} failed: {}", what, vip.address().orElse("none"),
                    failure.getCause() != null ? failure.getCause().getMessage() : failure.toString());
        }
    }

    /** Releases the VIP (bounded wait) and stops the notify thread. */
    @Override
    public void close() {
        vip.close();
        notify.close();
    }
}
