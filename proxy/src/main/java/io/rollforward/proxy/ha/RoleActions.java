package io.rollforward.proxy.ha;

import io.rollforward.heartbeat.ha.NotifyCommands;
import io.rollforward.heartbeat.ha.Role;
import io.rollforward.heartbeat.ha.RoleChange;
import io.rollforward.proxy.metrics.ProxyMetrics;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a role change does outside the state machine, like heartbeat's resource scripts and
 * keepalived's notify hooks: one log line with the reason, {@code rollforward_role{role}}, the VIP
 * (take it on becoming ACTIVE, give it back on leaving ACTIVE, {@code rollforward_vip_owned}
 * once done), the operator's notify command, and the test observer.
 *
 * <p>Called on the HA node's event loop; every call returns at once (the VIP and the commands
 * work on threads of their own). {@link #role()} may be read from any thread.
 */
final class RoleActions implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoleActions.class);

    private final ProxyMetrics metrics;
    private final VipHolder vip;
    private final NotifyCommands notify;
    private final RoleChange.Listener observer;
    private volatile Role role = Role.INIT;
    private CompletableFuture<Void> lastRelease = CompletableFuture.completedFuture(null);

    RoleActions(ProxyMetrics metrics, VipHolder vip, NotifyCommands notify, RoleChange.Listener observer) {
        this.metrics = metrics;
        this.vip = vip;
        this.notify = notify;
        this.observer = observer;
    }

    /** A transition decided by the state machine, or by hand ({@link #stepDown}). */
    void apply(RoleChange change) {
        log.info("HA role {} -> {}: {}", change.from(), change.to(), change.reason());
        restore(change.to());
        if (change.to() == Role.ACTIVE) {
            vip.acquire().whenComplete((ok, e) -> vipDone("acquiring", e));
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
