package io.rollforward.proxy.exchange;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.rollforward.proxy.ordering.OrderTicket;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaConnection;
import io.rollforward.proxy.replica.ResponseSink;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * One replica's copy of one request: connect (or reuse), send, time out, and read the reply into
 * a bounded buffer while digesting it for the divergence check. Runs on its exchange's event loop
 * and reports every step to the {@link Exchange}, which decides what the client gets.
 */
final class ReplicaCall implements ResponseSink {
    /** QUEUED: ordered, waiting for this replica's turn in the write order (the timeout already runs). */
    enum State { STAGGERED, QUEUED, CONNECTING, AWAITING, RECEIVING, COMPLETE, FAILED }

    private final Exchange exchange;
    private final Replica replica;
    private final EventLoop loop;

    private State state = State.STAGGERED;
    private ReplicaConnection connection;
    private boolean retried;
    private ScheduledFuture<?> timer;
    private long dispatchedAt;
    private OrderTicket ticket;
    private long queuedAt;

    private HttpResponse head;
    private boolean replicaKeepAlive;
    private CompositeByteBuf body;
    private long bodyBytes;
    private final CRC32C digest = new CRC32C();
    private boolean overflowed;
    private boolean streaming;
    private boolean failedByStatus;

    private FailureCause cause;
    private String detail;

    ReplicaCall(Exchange exchange, Replica replica, EventLoop loop) {
        this.exchange = exchange;
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

    /** Complete, not a fail-on-status reply, and fully buffered: can be sent to the client. */
    boolean usable() {
        return state == State.COMPLETE && !failedByStatus && !overflowed && body != null;
    }

    /** Still able to deliver a usable reply later. */
    boolean pending() {
        return !terminal() && !overflowed;
    }

    HttpResponse head() {
        return head;
    }

    int status() {
        return head.status().code();
    }

    long digest() {
        return digest.getValue();
    }

    FailureCause cause() {
        return cause;
    }

    String detail() {
        return detail;
    }

    void markFailedByStatus() {
        failedByStatus = true;
        cause = FailureCause.STATUS;
        detail = "status " + status();
    }

    boolean failedByStatus() {
        return failedByStatus;
    }

    /** The body buffered so far, still owned by this call (null when taken, dropped or released). */
    io.netty.buffer.ByteBuf bufferedBody() {
        return body;
    }

    /** ORDERING: this copy is ordered; it is sent only when {@code place} has its turn. */
    void orderedBy(OrderTicket place) {
        ticket = place;
    }

    /** Hands the buffered body over to the caller (the client reply). */
    CompositeByteBuf takeBody() {
        CompositeByteBuf b = body;
        body = null;
        return b;
    }

    void staggerUntil(long delayNanos) {
        timer = loop.schedule(this::dispatch, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** Sends the copy now (cancels a pending stagger), or when its turn comes if it is ordered. */
    void dispatch() {
        if (state != State.STAGGERED) {
            return;
        }
        cancelTimer();
        timer = loop.schedule(this::onTimeout, exchange.settings().timeoutNanos(), TimeUnit.NANOSECONDS);
        // ORDERING HOOK (dispatch step): wait for this replica's turn; the time queued counts
        // against per-request-timeout, the timer above already runs.
        if (ticket != null && !ticket.hasTurn()) {
            state = State.QUEUED;
            queuedAt = System.nanoTime();
            ticket.awaitTurn(this::send);
            return;
        }
        send();
    }

    private void send() {
        if (state != State.STAGGERED && state != State.QUEUED) {
            return;
        }
        state = State.CONNECTING;
        dispatchedAt = System.nanoTime();
        connect();
    }

    /** ORDERING HOOK ("reply complete" and "failed" points): the next ordered request may go to this replica. */
    private void releaseTurn() {
        if (ticket != null) {
            ticket.release();
        }
    }

    /** Pass-through: the master's reply was good, so this backup copy is not needed. */
    void skip() {
        if (state == State.STAGGERED) {
            cancelTimer();
            state = State.FAILED;
            detail = "not sent: the master answered (mirror: false)";
            releaseTurn();
        }
    }

    /** The query-of-death guard holds this copy back: it is never sent. */
    void holdBack() {
        if (state == State.STAGGERED) {
            fail(FailureCause.QUARANTINED, "held back: the master's connection died on this request");
        }
    }

    private void connect() {
        replica.pool().acquire(loop).addListener((Future<ReplicaConnection> f) -> {
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
            state = State.AWAITING;
            connection.send(exchange.replicaRequest().copy(), this).addListener(w -> {
                if (!w.isSuccess()) {
                    onBroken(w.cause());
                }
            });
        });
    }

    @Override
    public void onHead(HttpResponse response) {
        if (state != State.AWAITING) {
            return;
        }
        state = State.RECEIVING;
        head = response;
        replicaKeepAlive = HttpUtil.isKeepAlive(response); // before the exchange strips Connection
        body = connection.channel().alloc().compositeBuffer(Integer.MAX_VALUE);
    }

    @Override
    public void onContent(HttpContent content, boolean last) {
        if (state != State.RECEIVING) {
            content.release();
            return;
        }
        int n = content.content().readableBytes();
        if (n > 0) {
            digest.update(content.content().nioBuffer());
        }
        bodyBytes += n;
        if (streaming) {
            exchange.stream(this, content, last);
        } else if (overflowed) {
            content.release();
        } else if (bodyBytes > exchange.settings().maxResponseBuffer()) {
            if (exchange.onOverflow(this)) {
                streaming = true;
                cancelTimer(); // a streamed reply may legitimately outlast the per-request timeout
                exchange.stream(this, content, last);
            } else {
                overflowed = true;
                releaseBody();
                content.release();
            }
        } else if (n > 0) {
            body.addComponent(true, content.content());
        } else {
            content.release();
        }
        if (last) {
            complete();
        }
    }

    private void complete() {
        state = State.COMPLETE;
        cancelTimer();
        releaseTurn();
        exchange.events().replicaLatency(replica.name(), System.nanoTime() - dispatchedAt);
        if (replicaKeepAlive) {
            connection.release();
        } else {
            connection.discard();
        }
        exchange.onComplete(this);
    }

    @Override
    public void onBroken(Throwable failure) {
        if (terminal()) {
            return;
        }
        if (state == State.AWAITING && connection.reused() && !retried) {
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
        fail(FailureCause.RESET, describe(failure));
    }

    private void onTimeout() {
        if (terminal()) {
            return;
        }
        String why = "no full reply within " + TimeUnit.NANOSECONDS.toMillis(exchange.settings().timeoutNanos()) + "ms";
        if (queuedAt != 0) {
            long queued = (state == State.QUEUED ? System.nanoTime() : dispatchedAt) - queuedAt;
            why += ", " + TimeUnit.NANOSECONDS.toMillis(queued) + "ms of it queued behind earlier writes";
        }
        fail(FailureCause.TIMEOUT, why);
    }

    /** Marked DOWN by a health source while in flight: give up on this copy at once. */
    void replicaDown() {
        if (!terminal() && state != State.STAGGERED) {
            fail(FailureCause.REPLICA_DOWN, "replica marked DOWN");
        } else if (state == State.STAGGERED) {
            fail(FailureCause.REPLICA_DOWN, "replica marked DOWN before dispatch");
        }
    }

    /** The client went away while this call streamed to it. */
    void abandon() {
        if (!terminal()) {
            fail(FailureCause.RESET, "client closed");
        }
    }

    void fail(FailureCause failure, String why) {
        if (terminal()) {
            return;
        }
        boolean wasStreaming = streaming;
        state = State.FAILED;
        cause = failure;
        detail = why;
        cancelTimer();
        releaseTurn();
        releaseBody();
        if (connection != null) {
            connection.discard();
        }
        exchange.onFailed(this, wasStreaming);
    }

    void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    /** Pauses or resumes reading the replica (backpressure while streaming to a slow client). */
    void autoRead(boolean on) {
        if (connection != null) {
            connection.channel().config().setAutoRead(on);
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
