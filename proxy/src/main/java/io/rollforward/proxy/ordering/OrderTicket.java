package io.rollforward.proxy.ordering;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * One replica's place in the order of one key: the copy of the request for that replica may be
 * sent when its turn comes, and must {@link #release()} the place once the replica answered it in
 * full (or failed it, or it was never sent), which lets the next request of the key through.
 *
 * <p>Owned by one exchange, used on that exchange's event loop ({@code loop}). The fields below
 * {@code granted} are the {@link WriteOrder}'s, written under its per-key guard.
 */
public final class OrderTicket {
    final WriteOrder order;
    final String key;
    final String replica;
    final boolean write;
    final Executor loop;
    final long admittedAt;
    final WriteOrder.Admission admission;
    // the order's view, guarded by the key's entry in WriteOrder
    boolean granted;
    // the owner's view, on the owner's loop only
    private boolean turn;
    private boolean released;
    private Runnable onTurn;

    OrderTicket(WriteOrder order, String key, String replica, boolean write, Executor loop, long admittedAt,
                WriteOrder.Admission admission) {
        this.order = order;
        this.key = key;
        this.replica = replica;
        this.write = write;
        this.loop = loop;
        this.admittedAt = admittedAt;
        this.admission = admission;
    }

    public String replica() {
        return replica;
    }

    public boolean isWrite() {
        return write;
    }

    /** Whether this copy may be sent now. */
    public boolean hasTurn() {
        return turn;
    }

    /** Runs {@code action} on the owner's loop when the turn comes: at once, in this call, if it has. */
    public void awaitTurn(Runnable action) {
        if (released) {
            return;
        }
        if (turn) {
            action.run();
        } else {
            onTurn = action;
        }
    }

    /** The replica answered (or failed, or was never sent) this copy: the next may go. Idempotent. */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        onTurn = null;
        order.release(this);
    }

    /** Set in {@link WriteOrder#admit} on the owner's thread, for a place granted at once. */
    void grantedAtAdmission() {
        turn = true;
        order.events.waited(order.keyKind, 0);
    }

    /** Hands "your turn" to the owner's loop, from whichever thread released the one before. */
    void handOver() {
        try {
            loop.execute(this::takeTurn);
        } catch (RejectedExecutionException e) {
            // the loop is shutting down: the exchange is gone with it
        }
    }

    private void takeTurn() {
        if (released) {
            return;
        }
        turn = true;
        order.events.waited(order.keyKind, order.clock.getAsLong() - admittedAt);
        Runnable action = onTurn;
        onTurn = null;
        if (action != null) {
            action.run();
        }
    }
}
