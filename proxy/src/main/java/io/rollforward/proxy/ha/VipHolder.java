package io.rollforward.proxy.ha;

import io.rollforward.config.VipConfig;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The virtual IP as {@link HaNode} sees it: take it when this node becomes ACTIVE, give it back
 * when it stops being ACTIVE. In production a {@link io.rollforward.fake.VipOwner} (address + gratuitous ARP, on its
 * own thread); a cluster without {@code vip} holds nothing; tests pass a recording fake.
 *
 * <p>Every method but {@link #preflight()} and {@link #close()} returns at once and is safe on an
 * event loop.
 */
public interface VipHolder extends AutoCloseable {

    /** Checks at start-up that the VIP can be handled here; throws with a clear message if not. */
    void preflight();

    /** Adds the VIP and announces it. */
    CompletableFuture<Void> acquire();

    /** Stops announcing and removes the VIP (also a leftover one from a crashed run). */
    CompletableFuture<Void> release();

    /**
     * Sends one more gratuitous ARP for a VIP this node holds: after a split brain healed, the
     * neighbours may have learnt the peer's MAC from its announcements and must learn ours again.
     */
    CompletableFuture<Void> reannounce();

    /** Whether the last completed acquire/release left this node holding the VIP. */
    boolean isHeld();

    /** The VIP as {@code address/prefix}, or empty when the cluster has none. */
    Optional<String> address();

    /** Releases (bounded wait) and stops. */
    @Override
    void close();

    /** The real thing for {@code vip}, or a holder of nothing when the cluster has no VIP. */
    static VipHolder of(Optional<VipConfig> vip) {
        return vip.<VipHolder>map(OwnedVip::create).orElse(NONE);
    }

    /** A cluster without a VIP: roles only (e.g. a notify command moves some other resource). */
    VipHolder NONE = new VipHolder() {
        @Override
        public void preflight() {
        }

        @Override
        public CompletableFuture<Void> acquire() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> release() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> reannounce() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isHeld() {
            return false;
        }

        @Override
        public Optional<String> address() {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    };
}
