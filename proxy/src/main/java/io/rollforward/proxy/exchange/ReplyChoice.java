package io.rollforward.proxy.exchange;

import java.util.Arrays;

/**
 * The decision core of an {@link Exchange}: which replica's reply the client gets, when to roll
 * forward before the head, and when to splice mid-body. Pure logic fed with events (a copy's head,
 * its completion or failure, a backup caught up with the bytes sent, the client gone); it knows
 * nothing of sockets or bytes and asks its shell to act through {@link Actions}. One instance per
 * exchange, driven from the exchange's event loop. See docs/ARCHITECTURE.md, "The Exchange".
 *
 * <p>Copy 0 is the acting master, the others are backups in priority order.
 *
 * <pre>
 * phase         event                                               next          action
 * WAITING_HEAD  master head, status not in fail-on-status           STREAMING     sendHead(master)
 * WAITING_HEAD  master failed (before its head)                     WAITING_HEAD  rolledForward(before head); send
 *                                                                                 waiting backups (or hold them back)
 * WAITING_HEAD  master failed, a backup has a good head             STREAMING     sendHead(backup)
 * WAITING_HEAD  every copy failed                                   REPLIED       replyFailure (502/504)
 * STREAMING     source complete                                     REPLIED       -
 * STREAMING     source failed mid-body, a backup of the same shape  SPLICING      rolledForward(mid body);
 *               (status and framing) is alive                                     awaitOffset(backup)
 * STREAMING     source failed mid-body, no such backup              ABORTED       abort(no_backup | diverged)
 * SPLICING      target caught up, its prefix equals what was sent   STREAMING     spliceTo(target)
 * SPLICING      target's prefix differs, or it failed               SPLICING      the next candidate, else ABORTED
 * any           client gone, a write (copies still run)              ABANDONED     - (the copies sent run to the end;
 *                                                                                 pass-through: hold the backups back)
 * any           client gone, a safe method                          ABANDONED     hold back every copy not sent (the
 *                                                                                 shell drops those running)
 * ABANDONED     master failed (staggered or canary backups waiting)  ABANDONED     send waiting backups (or hold them back)
 * </pre>
 * Who gets a copy when: the master at {@link #start()}; backups at once, after the stagger
 * ({@link #staggerElapsed}), only when the master failed (pass-through), or only after the master
 * answered in full (a canary of the query-of-death guard). A backup still waiting when the master
 * fails is held back instead of sent when the master's connection died on this request and the
 * copy was staggered on purpose, or when the master was a canary and failed the same way again.
 */
final class ReplyChoice {
    enum Phase {
        /** Nothing sent to the client: waiting for a good head, the master's first. */
        WAITING_HEAD,
        /** A head went to the client; the body flows from {@link #source()}. */
        STREAMING,
        /** The source failed mid-body; waiting for {@link #target()} to reach the offset sent. */
        SPLICING,
        /** The client's reply is complete, or the failure reply was sent; other copies run to the end. */
        REPLIED,
        /** The client's connection was closed mid-body: no replica could continue it (uncovered). */
        ABORTED,
        /** The client went away; a write's copies sent still run to the end, a safe method's are dropped. */
        ABANDONED
    }

    /** How a copy is dispatched, decided once per exchange. */
    enum Dispatch {
        /** Every copy at once. */
        ALL,
        /** Backups after the stagger timer (the shell calls {@link #staggerElapsed}). */
        STAGGERED,
        /** Backups only when the master failed (mirror: false). */
        PASS_THROUGH,
        /** Backups only after the master answered in full (query-of-death canary). */
        CANARY
    }

    /** What the core asks its shell to do; called synchronously from inside an event method. */
    interface Actions {
        void dispatch(int copy);

        /**
         * Never send {@code copy}: the guard holds it back ({@code cause} QUARANTINED), the client
         * left (CLIENT_GONE), or it is not needed (null).
         */
        void holdBack(int copy, FailureCause cause, String detail);

        /** Write {@code copy}'s head to the client, and whatever it has of its body. */
        void sendHead(int copy);

        /** Read {@code copy} until it reaches the offset sent to the client, then call {@link #caughtUp}. */
        void awaitOffset(int copy);

        /** Continue the client's body from {@code copy} at the offset sent. */
        void spliceTo(int copy);

        /** Every copy failed: answer 502 or 504 naming each cause. */
        void replyFailure();

        /** Close the client's connection mid-body: the reply cannot be completed. */
        void abort(UncoveredReason reason);

        /** The master (or the copy streaming) failed this request and the exchange rolls forward. */
        void rolledForward(FailureCause cause, boolean midBody);
    }

    private enum Copy { WAITING, SENT, HEAD, COMPLETE, FAILED }

    private final Actions actions;
    private final Dispatch dispatch;
    private final boolean holdBackPoison;
    private final Copy[] copies;
    private final Object[] shapes;
    private final FailureCause[] causes;
    private final boolean[] ruledOut;
    private Phase phase = Phase.WAITING_HEAD;
    private int source = -1;
    private int target = -1;
    private boolean rolledForward;
    private boolean diverged;

    /**
     * @param holdBackPoison hold a staggered backup back when the master's connection died on this
     *                       request (only meaningful with {@link Dispatch#STAGGERED})
     */
    ReplyChoice(int copies, Dispatch dispatch, boolean holdBackPoison, Actions actions) {
        if (copies < 1) {
            throw new IllegalArgumentException("at least one copy");
        }
        this.actions = actions;
        this.dispatch = dispatch;
        this.holdBackPoison = holdBackPoison && dispatch == Dispatch.STAGGERED;
        this.copies = new Copy[copies];
        Arrays.fill(this.copies, Copy.WAITING);
        this.shapes = new Object[copies];
        this.causes = new FailureCause[copies];
        this.ruledOut = new boolean[copies];
    }

    Phase phase() {
        return phase;
    }

    /** The copy whose body the client is receiving, or -1. */
    int source() {
        return source;
    }

    /** The copy a splice waits for, or -1. */
    int target() {
        return target;
    }

    /** The failure of {@code copy} as the core saw it, or null. */
    FailureCause cause(int copy) {
        return causes[copy];
    }

    void start() {
        send(0);
        if (dispatch == Dispatch.ALL) {
            for (int i = 1; i < copies.length; i++) {
                if (copies[i] == Copy.WAITING) {
                    send(i); // a synchronous failure of the master may have sent them already
                }
            }
        }
    }

    /** The stagger delay of {@code copy} is over. */
    void staggerElapsed(int copy) {
        if (dispatch == Dispatch.STAGGERED && copies[copy] == Copy.WAITING) {
            send(copy);
        }
    }

    /**
     * {@code copy}'s reply head arrived. {@code good} is false for a status in fail-on-status;
     * {@code shape} is what two replies must share to be spliced (status and framing), compared
     * with {@code equals}.
     */
    void head(int copy, boolean good, Object shape) {
        if (copies[copy] != Copy.SENT) {
            return;
        }
        if (!good) {
            fail(copy, FailureCause.STATUS);
            return;
        }
        copies[copy] = Copy.HEAD;
        shapes[copy] = shape;
        if (phase == Phase.WAITING_HEAD) {
            decideHead();
        } else if (phase == Phase.SPLICING && copy == target) {
            considerTarget();
        }
    }

    /** {@code copy}'s reply arrived in full. */
    void complete(int copy) {
        if (copies[copy] != Copy.HEAD) {
            return;
        }
        copies[copy] = Copy.COMPLETE;
        if (copy == 0 && dispatch == Dispatch.CANARY) {
            sendWaiting(); // the canary survived: the backups run the request too
        }
        if (phase == Phase.STREAMING && copy == source) {
            replied();
        }
    }

    /** {@code copy} failed this request (connect, reset, timeout, marked DOWN, internal ...). */
    void failed(int copy, FailureCause cause) {
        if (copies[copy] == Copy.COMPLETE || copies[copy] == Copy.FAILED) {
            return;
        }
        fail(copy, cause);
    }

    /** The splice target reached the offset sent; {@code equal}: its prefix is the bytes sent. */
    void caughtUp(int copy, boolean equal) {
        if (phase != Phase.SPLICING || copy != target) {
            return;
        }
        if (!equal) {
            ruledOut[copy] = true;
            diverged = true;
            findSpliceTarget();
            return;
        }
        phase = Phase.STREAMING;
        source = copy;
        target = -1;
        actions.spliceTo(copy);
        if (copies[copy] == Copy.COMPLETE && phase == Phase.STREAMING) {
            replied();
        }
    }

    /**
     * The client's connection closed. {@code copiesStillRun}: the request's copies run on without
     * the client (a write: every replica that is to get it runs it). Then a backup that would only
     * be sent to replace a failed master (pass-through) is held back, as nobody would get its
     * reply, and staggered or canary-gated backups still go out in their turn. Otherwise (a safe
     * method, whose copies the shell drops) no copy still waiting is sent.
     */
    void clientGone(boolean copiesStillRun) {
        if (phase == Phase.REPLIED) {
            return;
        }
        phase = Phase.ABANDONED;
        if (copiesStillRun && dispatch != Dispatch.PASS_THROUGH) {
            return;
        }
        for (int i = 1; i < copies.length; i++) {
            if (copies[i] == Copy.WAITING) {
                copies[i] = Copy.FAILED;
                causes[i] = FailureCause.CLIENT_GONE;
                actions.holdBack(i, FailureCause.CLIENT_GONE, "not sent: the client left");
            }
        }
    }

    /**
     * Every copy has ended: complete, failed, or held back. A copy still waiting (for its stagger,
     * or for the canary) has not: it will be sent.
     */
    boolean allEnded() {
        for (Copy c : copies) {
            if (c == Copy.WAITING || c == Copy.SENT || c == Copy.HEAD) {
                return false;
            }
        }
        return true;
    }

    /** True when {@code copy} answered the request in full with a good status. */
    boolean succeeded(int copy) {
        return copies[copy] == Copy.COMPLETE;
    }

    // ---- internals

    private void send(int copy) {
        copies[copy] = Copy.SENT;
        actions.dispatch(copy);
    }

    private void fail(int copy, FailureCause cause) {
        Copy was = copies[copy];
        copies[copy] = Copy.FAILED;
        causes[copy] = cause;
        if (was == Copy.WAITING) {
            return; // held back or marked DOWN before dispatch: nothing to decide
        }
        switch (phase) {
            case WAITING_HEAD -> decideHead();
            case STREAMING -> {
                if (copy == source) {
                    actions.rolledForward(cause, true);
                    rolledForward = true;
                    releaseWaiting(cause);
                    findSpliceTarget();
                }
            }
            case SPLICING -> {
                if (copy == target) {
                    findSpliceTarget();
                }
            }
            case ABANDONED -> {
                if (copy == 0) {
                    releaseWaiting(cause); // nothing goes to the client, but the backups' turn came
                }
            }
            default -> {
            }
        }
    }

    private void decideHead() {
        if (copies[0] == Copy.HEAD || copies[0] == Copy.COMPLETE) {
            startStreaming(0);
            return;
        }
        if (copies[0] != Copy.FAILED) {
            return;
        }
        if (!rolledForward) {
            rolledForward = true;
            if (copies.length > 1) {
                actions.rolledForward(causes[0], false);
            }
            releaseWaiting(causes[0]);
            if (phase != Phase.WAITING_HEAD) {
                return; // a backup dispatched synchronously already answered
            }
        }
        boolean pending = false;
        for (int i = 1; i < copies.length; i++) {
            if (copies[i] == Copy.HEAD || copies[i] == Copy.COMPLETE) {
                startStreaming(i);
                return;
            }
            pending |= copies[i] == Copy.SENT;
        }
        if (!pending) {
            phase = Phase.REPLIED;
            actions.replyFailure();
        }
    }

    private void startStreaming(int copy) {
        phase = Phase.STREAMING;
        source = copy;
        actions.sendHead(copy);
        if (copies[copy] == Copy.COMPLETE && phase == Phase.STREAMING) {
            replied();
        }
    }

    private void replied() {
        phase = Phase.REPLIED;
        if (dispatch == Dispatch.PASS_THROUGH) {
            for (int i = 1; i < copies.length; i++) {
                if (copies[i] == Copy.WAITING) {
                    copies[i] = Copy.FAILED;
                    actions.holdBack(i, null, "not sent: the master answered (mirror: false)");
                }
            }
        }
    }

    /** The master (or the source) failed: backups still waiting are sent now, or held back. */
    private void releaseWaiting(FailureCause cause) {
        boolean killed = cause == FailureCause.RESET || cause == FailureCause.TIMEOUT;
        for (int i = 1; i < copies.length; i++) {
            if (copies[i] != Copy.WAITING) {
                continue;
            }
            if (dispatch == Dispatch.CANARY && killed) {
                copies[i] = Copy.FAILED;
                causes[i] = FailureCause.QUARANTINED;
                actions.holdBack(i, FailureCause.QUARANTINED, "held back: the canary failed this request again (" + cause.tag() + ")");
            } else if (holdBackPoison && cause == FailureCause.RESET) {
                copies[i] = Copy.FAILED;
                causes[i] = FailureCause.QUARANTINED;
                actions.holdBack(i, FailureCause.QUARANTINED, "held back: the master's connection died on this request");
            } else {
                send(i);
            }
        }
    }

    private void sendWaiting() {
        for (int i = 1; i < copies.length; i++) {
            if (copies[i] == Copy.WAITING) {
                send(i);
            }
        }
    }

    /** The next backup that could continue the body: alive, not ruled out, same shape (or no head yet). */
    private void findSpliceTarget() {
        for (int i = 0; i < copies.length; i++) {
            if (i == source || ruledOut[i] || copies[i] == Copy.FAILED || copies[i] == Copy.WAITING) {
                continue;
            }
            if (copies[i] != Copy.SENT && !shapes[i].equals(shapes[source])) {
                ruledOut[i] = true;
                diverged = true;
                continue;
            }
            phase = Phase.SPLICING;
            target = i;
            if (copies[i] != Copy.SENT) {
                actions.awaitOffset(i);
            }
            return; // a copy without a head yet is judged by considerTarget() when it arrives
        }
        phase = Phase.ABORTED;
        target = -1;
        actions.abort(diverged ? UncoveredReason.DIVERGED : UncoveredReason.NO_BACKUP);
    }

    private void considerTarget() {
        if (shapes[target].equals(shapes[source])) {
            actions.awaitOffset(target);
        } else {
            ruledOut[target] = true;
            diverged = true;
            findSpliceTarget();
        }
    }
}
