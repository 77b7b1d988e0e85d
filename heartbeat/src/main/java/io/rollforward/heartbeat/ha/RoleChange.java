package io.rollforward.heartbeat.ha;

import java.util.Objects;

/**
 * One transition of this node's role, with a reason for the log and the notify commands.
 * The caller maps {@code to == ACTIVE} to "take the VIP" and {@code from == ACTIVE} to
 * "release the VIP".
 */
public record RoleChange(Role from, Role to, String reason) {
    public RoleChange {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(reason, "reason");
    }

    /** Receives role changes, synchronously on the thread that drives the state machine. */
    @FunctionalInterface
    public interface Listener {
        void onRoleChange(RoleChange change);

        /** This listener, then {@code next}. */
        default Listener andThen(Listener next) {
            Objects.requireNonNull(next, "next");
            return change -> {
                onRoleChange(change);
                next.onRoleChange(change);
            };
        }
    }
}
