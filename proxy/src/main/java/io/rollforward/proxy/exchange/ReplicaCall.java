package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.rollforward.proxy.ordering.OrderTicket;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaConnection;
import io.rollforward.proxy.replica.ReplyHead;
import io.rollforward.proxy.replica.ReplicaPool;
import io.rollforward.proxy.replica.ResponseSink;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * One replica's copy of one request: connect (or reuse), send the exchange's request bytes, time
 * the reply out, and move its body where the {@link Exchange} says:
 * <ul>
 *   <li>{@link Role#FOLLOW} (a backup while another copy streams): its body is matched against the
 *       bytes already sent to the client (a running CRC32C of its first {@code sent} bytes) and
 *       what runs ahead is held, at most {@code splice-window} (and the global budget) ahead, after
 *       which its socket is no longer read (TCP backpressure);</li>
 *   <li>{@link Role#SOURCE} (the copy the client is receiving): each buffer goes to the client as it
 *       arrives; reading pauses while the client's socket is full;</li>
 *   <li>{@link Role#DRAIN} (the reply is decided): read to the end and digested, so the connection
 *       is reusable and the reply can be compared.</li>
 * </ul>
 * Runs on the exchange's event loop and reports every step to it.
 */
final class ReplicaCall implements ResponseSink {
    /** QUEUED: ordered, waiting for this replica's turn in the write order (the head timer already runs). */
    enum State { WAITING, QUEUED, CONNECTING, AWAITING_HEAD, RECEIVING, COMPLETE, FAILED }

    enum Role { FOLLOW, SOURCE, DRAIN }

    private final Exchange exchange;
    private final int index;
    private final Replica replica;
    private final EventLoop loop;

    private State state = State.WAITING;
    private Role role = Role.FOLLOW;
    private ReplicaConnection connection;
    private boolean retried;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> durationTimer;
    private long dispatchedAt;
    private long lastReadAt;
    private boolean paused;
    private boolean awaiting;
    /** Inside a read of this copy's socket: its end ({@link #onReadComplete}) flushes the client. */
    private boolean reading;

    private ReplyHead head;
    private ReplyShape shape;
    private boolean replicaKeepAlive;
    private HttpHeaders trailers;
    private long received;
    private long consumed;
    private final CRC32C crc = new CRC32C();
    private final ArrayDeque<ByteBuf> window = new ArrayDeque<>(4);
    /** Bytes of the window not yet matched (what {@code splice-window} bounds). */
    private long windowBytes;
    /** Memory the window's buffers pin: their capacities, matched bytes included until released. */
    private long pinned;
    /** Budget taken ahead of the next read of a resumed backup ({@link #reserveRead}). */
    private long credit;
    /** What this call holds in the budget: {@code pinned + credit}, or more until {@link #releaseBudget}. */
    private long budgeted;

    private FailureCause cause;
    private String detail;
    private OrderTicket ticket;
    private long queuedAt;
    /** The first bytes of the body, for a byte-by-byte comparison (divergence rules), or null. */
    private BodySample sample;

    ReplicaCall(Exchange exchange, int index, Replica replica, EventLoop loop) {
        this.exchange = exchange;
        this.index = index;
        this.replica = replica;
        this.loop = loop;
    }

    Replica replica() {
        return replica;
    }

    State state() {
        return state;
    }

    boolean terminal() {
        return state == State.COMPLETE || state == State.FAILED;
    }

    ReplyHead head() {
        return head;
    }

    ReplyShape shape() {
        return shape;
    }

    int status() {
        return head == null ? 0 : head.status();
    }

    HttpHeaders trailers() {
        return trailers;
    }

    /** CRC32C of the body bytes digested so far: the whole body once drained to the end. */
    long digest() {
        return crc.getValue();
    }

    /** Whether the copy was ever sent to the replica. */
    boolean wasSent() {
        return dispatchedAt != 0;
    }

    long bodyBytes() {
        return received;
    }

    FailureCause cause() {
        return cause;
    }

    String detail() {
        return detail;
    }

    /** This copy is an ordered request: it is sent only when {@code place} has its turn on the replica. */
    void orderedBy(OrderTicket place) {
        ticket = place;
    }

    /** Keep the first {@code limit} body bytes for the comparison of replies ({@link BodySample}). */
    void sampleBody(long limit, boolean prefix) {
        sample = new BodySample(limit, prefix);
    }

    BodySample sample() {
        return sample;
    }

    // ---- dispatch

    void staggerUntil(long delayNanos) {
        timer = loop.schedule(() -> {
            timer = null;
            exchange.staggerElapsed(index);
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Sends the copy now (cancels a pending stagger timer). */
    void dispatch() {
        if (state != State.WAITING) {
            return;
        }
        cancelTimer();
        dispatchedAt = System.nanoTime();
        timer = loop.schedule(this::onHeadTimeout, exchange.settings().timeoutNanos(), TimeUnit.NANOSECONDS);
        long max = exchange.settings().maxReplyNanos();
        if (max > 0) {
            durationTimer = loop.schedule(() -> fail(FailureCause.TIMEOUT, "reply still flowing after max-reply-duration "
                    + TimeUnit.NANOSECONDS.toMillis(max) + "ms"), max, TimeUnit.NANOSECONDS);
        }
        // an ordered copy waits for this replica's turn; the time queued counts against the timeout
        if (ticket != null && !ticket.hasTurn()) {
            state = State.QUEUED;
            queuedAt = dispatchedAt;
            ticket.awaitTurn(this::send);
            return;
        }
        send();
    }

    private void send() {
        if (state != State.WAITING && state != State.QUEUED) {
            return;
        }
        state = State.CONNECTING;
        connect();
    }

    /** The next ordered request may go to this replica (idempotent). */
    private void releaseTurn() {
        if (ticket != null) {
            ticket.release();
        }
    }

    /** Never sent: held back by the guard ({@code why} QUARANTINED) or not needed (null). */
    void holdBack(FailureCause why, String text) {
        if (state == State.WAITING) {
            cancelTimer();
            state = State.FAILED;
            cause = why;
            detail = text;
            releaseTurn();
        }
    }

    private void connect() {
        Future<ReplicaConnection> acquired = replica.pool().acquire(loop);
        if (acquired.isSuccess()) {
            onAcquired(acquired); // an idle pooled connection
        } else if (acquired.isDone()) {
            // report on the next turn of the loop, never from inside the dispatch that caused it
            loop.execute(() -> onAcquired(acquired));
        } else {
            acquired.addListener((Future<ReplicaConnection> f) -> onAcquired(f));
        }
    }

    private void onAcquired(Future<ReplicaConnection> f) {
        if (state != State.CONNECTING) { // failed (timeout, replica down) while connecting
            if (f.isSuccess()) {
                f.getNow().release();
            }
            return;
        }
        if (!f.isSuccess()) {
            fail(FailureCause.CONNECT, String.valueOf(f.cause().getMessage()));
            return;
        }
        connection = f.getNow();
        state = State.AWAITING_HEAD;
        connection.send(exchange.requestBytes(), exchange.headRequest(), this).addListener(w -> {
            if (!w.isSuccess()) {
                onBroken(w.cause());
            }
        });
    }

    // ---- the reply

    @Override
    public void onHead(ReplyHead response) {
        if (state != State.AWAITING_HEAD) {
            return;
        }
        state = State.RECEIVING;
        reading = true;
        head = response;
        shape = ReplyShape.of(response);
        if (sample != null) {
            sample.expect(shape.contentLength());
        }
        replicaKeepAlive = response.keepAlive();
        cancelTimer(); // per-request-timeout bounds the head; the body is watched for stalls instead
        lastReadAt = System.nanoTime();
        exchange.onHead(index);
    }

    @Override
    public void onBody(ByteBuf buf) {
        if (state != State.RECEIVING) {
            buf.release();
            return;
        }
        reading = true;
        int n = buf.readableBytes();
        received += n;
        if (n == 0) {
            buf.release();
        } else {
            take(buf);
        }
    }

    @Override
    public void onEnd(HttpHeaders trailerFields) {
        if (state != State.RECEIVING) {
            return;
        }
        reading = true;
        trailers = trailerFields == null || trailerFields.isEmpty() ? null : trailerFields;
        complete();
    }

    @Override
    public void onReadComplete() {
        lastReadAt = System.nanoTime();
        reading = false;
        if (role == Role.SOURCE) {
            exchange.flushClient();
        }
        if (state == State.RECEIVING) {
            if (timer == null) {
                scheduleIdleCheck(exchange.settings().replyIdleNanos());
            }
        }
    }

    /** A body buffer arrived (ownership passes here). */
    private void take(ByteBuf buf) {
        switch (role) {
            case SOURCE -> {
                consumed += buf.readableBytes();
                sampleSent(buf);
                exchange.forward(buf);
            }
            case DRAIN -> {
                digest(buf);
                buf.release();
            }
            case FOLLOW -> {
                long behind = exchange.sent() - consumed;
                if (behind > 0) {
                    int matched = (int) Math.min(behind, buf.readableBytes());
                    digest(buf.slice(buf.readerIndex(), matched));
                    buf.skipBytes(matched);
                }
                if (buf.isReadable()) {
                    hold(buf);
                } else {
                    buf.release();
                }
                checkCaughtUp();
            }
        }
    }

    private void digest(ByteBuf bytes) {
        int n = bytes.readableBytes();
        if (n > 0) {
            crc.update(bytes.nioBuffer());
            consumed += n;
            if (sample != null) {
                sample.add(bytes);
            }
        }
    }

    /**
     * The source's sample is also the sample of the bytes the client got: the bytes before a
     * splice matched this copy's own by CRC, and the rest are this copy's.
     */
    private void sampleSent(ByteBuf buf) {
        if (sample != null) {
            sample.add(buf);
        }
    }

    private void hold(ByteBuf buf) {
        window.add(buf);
        windowBytes += buf.readableBytes();
        int size = buf.capacity(); // what the buffer pins, matched prefix included
        pinned += size;
        long need = size - Math.min(credit, size);
        credit -= size - need;
        boolean fits = need == 0 || exchange.budget().tryReserve(need);
        if (!fits) {
            exchange.budget().force(need); // already in memory: count it, and read no further
        }
        budgeted += need;
        // read on only with the next read's memory reserved: a backup's only unreserved read is its first
        if (!fits || windowBytes >= exchange.settings().spliceWindow() || !reserveRead()) {
            pause(true);
            credit = 0; // a paused socket reads nothing: give the reserve back
            releaseBudget();
        }
    }

    /**
     * Takes one socket read's worth of the budget before a backup's socket is read again (after a
     * buffer was held, or to resume a paused backup), so a backup never reads past the budget: at
     * its limit the windows stop growing, they are not merely counted over it. False when the
     * budget has no room (the next {@link #follow} tries again).
     */
    private boolean reserveRead() {
        long need = ReplicaPool.MAX_READ - credit;
        if (need > 0) {
            if (!exchange.budget().tryReserve(need)) {
                return false;
            }
            credit += need;
            budgeted += need;
        }
        return true;
    }

    /** The client received more: match the held bytes up to {@code sent}, release them. */
    void follow(long sent) {
        if (role != Role.FOLLOW) {
            return;
        }
        while (consumed < sent && !window.isEmpty()) {
            ByteBuf first = window.peek();
            int take = (int) Math.min(sent - consumed, first.readableBytes());
            digest(first.slice(first.readerIndex(), take));
            first.skipBytes(take);
            windowBytes -= take;
            if (!first.isReadable()) {
                pinned -= first.capacity();
                window.poll().release();
            }
        }
        releaseBudget();
        if (paused && windowBytes < exchange.settings().spliceWindow() / 2 && reserveRead()) {
            pause(false);
        }
    }

    /** The splice waits for this copy: report once it reached the offset sent (or cannot). */
    void awaitOffset() {
        awaiting = true;
        pause(false);
        follow(exchange.sent());
        checkCaughtUp();
    }

    private void checkCaughtUp() {
        if (!awaiting) {
            return;
        }
        long sent = exchange.sent();
        if (consumed >= sent || state == State.COMPLETE) {
            awaiting = false;
            exchange.caughtUp(index, consumed == sent && crc.getValue() == exchange.sentDigest());
        }
    }

    /** The client gets this copy's body from here on: what it holds goes out first. */
    void becomeSource() {
        role = Role.SOURCE;
        awaiting = false;
        ByteBuf b;
        while ((b = window.poll()) != null) {
            consumed += b.readableBytes();
            sampleSent(b);
            exchange.forward(b);
        }
        clearWindow();
        if (state == State.COMPLETE) {
            exchange.sourceComplete(this);
        } else {
            if (!reading) {
                exchange.flushClient(); // else the end of the read in progress flushes
            }
            pause(!exchange.clientWritable());
        }
    }

    /** The reply is decided: read the rest at full speed, digest it, keep nothing. */
    void drain() {
        if (role == Role.DRAIN) {
            return;
        }
        role = Role.DRAIN;
        awaiting = false;
        ByteBuf b;
        while ((b = window.poll()) != null) {
            digest(b);
            b.release();
        }
        clearWindow();
        pause(false);
    }

    Role role() {
        return role;
    }

    private void complete() {
        state = State.COMPLETE;
        releaseTurn();
        cancelTimer();
        cancelDurationTimer();
        exchange.events().replicaLatency(replica.name(), System.nanoTime() - dispatchedAt);
        if (replicaKeepAlive) {
            connection.release();
        } else {
            connection.discard();
        }
        if (role == Role.SOURCE) {
            exchange.sourceComplete(this);
        }
        checkCaughtUp();
        exchange.onComplete(index);
    }

    @Override
    public void onBroken(Throwable failure) {
        if (terminal()) {
            return;
        }
        if (state == State.AWAITING_HEAD && connection.reused() && !retried) {
            // The replica closed an idle keep-alive connection just as we reused it (RFC 9112
            // §9.3.1): nothing of the reply arrived, so the request was not processed. Once more,
            // on a fresh connection: the other idle ones are dropped, they are likely stale too.
            retried = true;
            connection.discard();
            connection = null;
            replica.pool().evictIdle(loop);
            state = State.CONNECTING;
            connect();
            return;
        }
        if (isOutOfMemory(failure)) {
            exchange.internalError(failure);
            fail(FailureCause.INTERNAL, "proxy out of buffer memory: " + describe(failure));
            return;
        }
        fail(FailureCause.RESET, describe(failure));
    }

    @Override
    public void onBadHead(Throwable failure, boolean tooLarge) {
        if (state == State.AWAITING_HEAD) {
            fail(FailureCause.HEAD_TOO_LARGE, (tooLarge ? "reply head larger than limits.max-response-header-size: "
                    : "malformed reply head: ") + describe(failure));
        }
    }

    private void onHeadTimeout() {
        timer = null;
        if (state == State.CONNECTING || state == State.AWAITING_HEAD || state == State.QUEUED) {
            String why = "no reply head within " + TimeUnit.NANOSECONDS.toMillis(exchange.settings().timeoutNanos()) + "ms";
            if (queuedAt != 0) {
                why += state == State.QUEUED ? ", all of it queued behind earlier writes" : ", part of it queued behind earlier writes";
            }
            fail(FailureCause.TIMEOUT, why);
        }
    }

    private void scheduleIdleCheck(long delay) {
        timer = loop.schedule(this::onIdleCheck, delay, TimeUnit.NANOSECONDS);
    }

    /** A body that stops flowing while we read it is a failure; one we paused on purpose is not. */
    private void onIdleCheck() {
        timer = null;
        if (state != State.RECEIVING) {
            return;
        }
        long idle = exchange.settings().replyIdleNanos();
        long quiet = System.nanoTime() - lastReadAt;
        if (paused || quiet < idle) {
            scheduleIdleCheck(paused ? idle : idle - quiet);
            return;
        }
        fail(FailureCause.TIMEOUT, "reply stalled: no body byte for " + TimeUnit.NANOSECONDS.toMillis(idle) + "ms");
    }

    /** Marked DOWN by a health source while in flight: give up on this copy at once. */
    void replicaDown() {
        if (state == State.WAITING) {
            cancelTimer();
            state = State.FAILED;
            cause = FailureCause.REPLICA_DOWN;
            detail = "replica marked DOWN before dispatch";
            releaseTurn();
            exchange.onFailed(index);
        } else if (!terminal()) {
            fail(FailureCause.REPLICA_DOWN, "replica marked DOWN");
        }
    }

    /** The client went away and nobody will read this copy: stop reading it, close its connection. */
    void abandon() {
        if (!terminal()) {
            fail(FailureCause.CLIENT_GONE, "client closed");
        }
    }

    void fail(FailureCause failure, String why) {
        if (terminal()) {
            return;
        }
        state = State.FAILED;
        cause = failure;
        detail = why;
        awaiting = false;
        releaseTurn();
        cancelTimer();
        cancelDurationTimer();
        releaseWindow();
        if (connection != null) {
            connection.discard();
        }
        exchange.onFailed(index);
    }

    /** Releases what this call holds; called when the exchange ends. */
    void releaseWindow() {
        if (sample != null) {
            sample.release();
        }
        ByteBuf b;
        while ((b = window.poll()) != null) {
            b.release();
        }
        clearWindow();
    }

    /** The window was emptied (its buffers released or passed on): nothing of it stays budgeted. */
    private void clearWindow() {
        windowBytes = 0;
        pinned = 0;
        credit = 0;
        releaseBudget();
    }

    private void releaseBudget() {
        long over = budgeted - pinned - credit;
        if (over > 0) {
            exchange.budget().release(over);
            budgeted -= over;
        }
    }

    /** Pauses or resumes reading the replica's socket. */
    void pause(boolean on) {
        if (on && role == Role.DRAIN) {
            return;
        }
        if (paused && !on) {
            lastReadAt = System.nanoTime(); // quiet while paused on purpose is not a stall
        }
        paused = on;
        if (connection != null && connection.channel().isActive()) {
            connection.channel().config().setAutoRead(!on);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void cancelDurationTimer() {
        if (durationTimer != null) {
            durationTimer.cancel(false);
            durationTimer = null;
        }
    }

    private static boolean isOutOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
