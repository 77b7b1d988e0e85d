package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.rollforward.proxy.exchange.ReplyChoice.Dispatch;
import io.rollforward.proxy.exchange.ReplyChoice.Phase;
import io.rollforward.proxy.replica.Replica;
import java.util.List;
import java.util.StringJoiner;
import java.util.zip.CRC32C;

/**
 * One client request and its copies on every replica in service: streams the chosen reply to the
 * client as it arrives and keeps it covered. The decisions are {@link ReplyChoice}'s (a pure state
 * machine); this class is its shell: it sends the request bytes (encoded once) through a
 * {@link ReplicaCall} per replica, writes the client's reply with an {@link Http1ReplyWriter},
 * keeps the count and a running CRC32C of the body bytes sent, and at the end compares the other
 * replies, decides who was at fault and tells the query-of-death guard. See
 * docs/ARCHITECTURE.md, "The Exchange".
 *
 * <p>Everything runs on the client channel's event loop, the same loop as the replica
 * connections: no locks.
 */
public final class Exchange implements ReplyChoice.Actions {
    private final Channel client;
    private final FullHttpRequest request;
    private final boolean headRequest;
    private final ExchangeSettings settings;
    private final ExchangeServices services;
    private final ClientReply front;
    private final ReplicaCall[] calls;
    private final Http1ReplyWriter writer;
    private final long startedAt = System.nanoTime();

    private ReplyChoice choice;
    private ByteBuf requestBytes;
    private String signature;
    private boolean canary;
    private long sent;
    private final CRC32C sentDigest = new CRC32C();
    private boolean replyWritten;
    private boolean outcomeReported;
    private boolean draining;
    private boolean clientGone;
    private boolean finished;
    private long budgetedRequest;

    /**
     * @param request  owned by the exchange from here on; released when it finishes
     * @param replicas in service, in priority order (at least one)
     */
    public Exchange(Channel client, FullHttpRequest request, List<Replica> replicas, ExchangeSettings settings,
                    ExchangeServices services, ClientReply front) {
        this.client = client;
        this.request = request;
        this.headRequest = HttpMethod.HEAD.equals(request.method());
        this.settings = settings;
        this.services = services;
        this.front = front;
        this.calls = new ReplicaCall[replicas.size()];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = new ReplicaCall(this, i, replicas.get(i), client.eventLoop());
        }
        this.writer = new Http1ReplyWriter(client, headRequest, HttpUtil.isKeepAlive(request),
                request.protocolVersion().equals(HttpVersion.HTTP_1_0), settings.servedByHeader());
    }

    public void start() {
        events().inflightIncrement();
        QueryOfDeath guard = services.queryOfDeath();
        if (guard != null && !guard.empty()) {
            signature = guard.signature(request);
            QueryOfDeath.Verdict verdict = guard.verdict(signature);
            if (verdict == QueryOfDeath.Verdict.QUARANTINED) {
                refuseQuarantined();
                return;
            }
            canary = verdict == QueryOfDeath.Verdict.CANARY && calls.length > 1;
        }
        budgetedRequest = request.content().readableBytes();
        budget().force(budgetedRequest);
        requestBytes = ReplicaRequest.of(request, client.remoteAddress(), client.localAddress()).encode(client.alloc());
        Dispatch dispatch = !settings.mirror() ? Dispatch.PASS_THROUGH
                : canary ? Dispatch.CANARY
                : settings.staggerNanos() > 0 ? Dispatch.STAGGERED : Dispatch.ALL;
        choice = new ReplyChoice(calls.length, dispatch, settings.holdBackPoison(), this);
        if (dispatch == Dispatch.STAGGERED) {
            for (int i = 1; i < calls.length; i++) {
                calls[i].staggerUntil(settings.staggerNanos());
            }
        }
        choice.start();
        afterEvent();
    }

    /** A health source marked {@code replica} DOWN: its copy of this request fails now. */
    public void replicaDown(Replica replica) {
        for (ReplicaCall c : calls) {
            if (c.replica() == replica) {
                c.replicaDown();
            }
        }
    }

    /** The client connection closed. The replicas still finish the request (all replicas run every request). */
    public void clientGone() {
        clientGone = true;
        if (choice == null) {
            return;
        }
        choice.clientGone();
        writer.discard();
        int source = choice.source();
        if (source >= 0 && !calls[source].terminal() && calls[source].role() == ReplicaCall.Role.SOURCE) {
            calls[source].abandon();
        }
        afterEvent();
    }

    /** The client's socket drained or filled up: resume or pause the copy streaming to it. */
    public void clientWritabilityChanged() {
        if (choice != null && choice.source() >= 0) {
            ReplicaCall source = calls[choice.source()];
            if (source.role() == ReplicaCall.Role.SOURCE && !source.terminal()) {
                source.pause(!client.isWritable());
            }
        }
    }

    public boolean finished() {
        return finished;
    }

    // ---- what the calls use

    ExchangeSettings settings() {
        return settings;
    }

    ExchangeEvents events() {
        return services.events();
    }

    BufferBudget budget() {
        return services.budget();
    }

    boolean headRequest() {
        return headRequest;
    }

    /** The request for one more replica: the shared bytes, retained (the write releases them). */
    ByteBuf requestBytes() {
        return requestBytes.retainedDuplicate();
    }

    long sent() {
        return sent;
    }

    long sentDigest() {
        return sentDigest.getValue();
    }

    boolean clientWritable() {
        return client.isWritable();
    }

    /** A body buffer of the source for the client (ownership passes here). */
    void forward(ByteBuf buf) {
        int n = buf.readableBytes();
        if (clientGone) {
            buf.release();
            return;
        }
        sentDigest.update(buf.nioBuffer());
        sent += n;
        writer.body(buf);
        for (ReplicaCall c : calls) {
            if (c.role() == ReplicaCall.Role.FOLLOW && c.state() != ReplicaCall.State.FAILED) {
                c.follow(sent); // also a backup already complete: its held bytes are matched
            }
        }
        if (!client.isWritable()) {
            ReplicaCall source = calls[choice.source()];
            if (source.role() == ReplicaCall.Role.SOURCE) {
                source.pause(true);
            }
        }
    }

    /** The end of a read of the source: flush what went to the client. */
    void flushClient() {
        if (clientGone) {
            return;
        }
        writer.flushAtReadEnd();
    }

    /** The source's reply ended: end the client's. */
    void sourceComplete(ReplicaCall source) {
        if (replyWritten || clientGone) {
            return;
        }
        replyWritten = true;
        writer.end(source.trailers());
        reportOutcome(source.replica().name(), choice.source() == 0 ? Outcome.MASTER : Outcome.ROLLED_FORWARD);
        front.replied(this, writer.keepAlive());
    }

    void staggerElapsed(int copy) {
        choice.staggerElapsed(copy);
        afterEvent();
    }

    void onHead(int copy) {
        ReplicaCall c = calls[copy];
        choice.head(copy, !settings.failsOn(c.status()), c.shape());
        afterEvent();
    }

    void onComplete(int copy) {
        choice.complete(copy);
        afterEvent();
    }

    void onFailed(int copy) {
        choice.failed(copy, calls[copy].cause());
        afterEvent();
    }

    void caughtUp(int copy, boolean equal) {
        choice.caughtUp(copy, equal);
        afterEvent();
    }

    void internalError(Throwable t) {
        services.internalErrors().report(t);
    }

    // ---- ReplyChoice.Actions

    @Override
    public void dispatch(int copy) {
        calls[copy].dispatch();
    }

    @Override
    public void holdBack(int copy, FailureCause cause, String detail) {
        calls[copy].holdBack(cause, detail);
    }

    @Override
    public void sendHead(int copy) {
        ReplicaCall c = calls[copy];
        if (!clientGone) {
            writer.head(c.head(), c.shape(), c.replica().name());
        }
        c.becomeSource();
    }

    @Override
    public void awaitOffset(int copy) {
        calls[copy].awaitOffset();
    }

    @Override
    public void spliceTo(int copy) {
        events().spliced();
        calls[copy].becomeSource();
    }

    @Override
    public void replyFailure() {
        reportOutcome("none", Outcome.FAILED);
        if (clientGone) {
            return;
        }
        replyWritten = true;
        boolean timeout = false;
        boolean internal = false;
        StringJoiner causes = new StringJoiner("; ");
        for (int i = 0; i < calls.length; i++) {
            ReplicaCall c = calls[i];
            FailureCause cause = choice.cause(i) != null ? choice.cause(i) : c.cause();
            timeout |= cause == FailureCause.TIMEOUT;
            internal |= cause == FailureCause.INTERNAL;
            String detail = cause == FailureCause.STATUS ? "status " + c.status() : c.detail();
            causes.add(c.replica().name() + ": " + (cause == null ? "no reply" : cause.tag()) + " (" + detail + ")");
        }
        HttpResponseStatus status = internal ? HttpResponseStatus.SERVICE_UNAVAILABLE
                : timeout ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY;
        writer.full(status, "every replica failed: " + causes);
        front.replied(this, writer.keepAlive());
    }

    @Override
    public void abort(UncoveredReason reason) {
        events().uncovered(reason);
        reportOutcome(calls[choice.source()].replica().name(), Outcome.FAILED);
        replyWritten = true;
        writer.discard();
        client.close();
        front.replied(this, false);
    }

    @Override
    public void rolledForward(FailureCause cause, boolean midBody) {
        if (calls.length > 1) {
            events().rolledForward(cause, midBody);
        }
    }

    // ---- the end

    private void reportOutcome(String servedBy, Outcome outcome) {
        if (!outcomeReported) {
            outcomeReported = true;
            events().requestCompleted(servedBy, outcome);
        }
    }

    /** The client left before its reply was decided: count what it would have got. */
    private void reportAbandoned() {
        for (int i = 0; i < calls.length; i++) {
            if (choice.succeeded(i)) {
                reportOutcome(calls[i].replica().name(), i == 0 ? Outcome.MASTER : Outcome.ROLLED_FORWARD);
                return;
            }
        }
        reportOutcome("none", Outcome.FAILED);
    }

    private void refuseQuarantined() {
        reportOutcome("none", Outcome.FAILED);
        events().quarantined();
        replyWritten = true;
        writer.full(HttpResponseStatus.SERVICE_UNAVAILABLE, "this request is quarantined: it failed every replica"
                + " (reset or timeout) and failed again as a canary; it is refused for query-of-death.quarantine-time");
        front.replied(this, writer.keepAlive());
        finished = true;
        request.release();
        events().inflightDecrement();
        front.finished(this);
    }

    /** After each event: once the reply is decided, the other copies drain; once all ended, finish. */
    private void afterEvent() {
        if (finished) {
            return;
        }
        Phase phase = choice.phase();
        boolean decided = phase == Phase.REPLIED || phase == Phase.ABORTED || phase == Phase.ABANDONED;
        if (decided && !draining) {
            draining = true;
            for (ReplicaCall c : calls) {
                if (c.role() != ReplicaCall.Role.SOURCE && !c.terminal()) {
                    c.drain();
                }
            }
        }
        if (decided && choice.allEnded()) {
            finish();
        }
    }

    private void finish() {
        finished = true;
        reportAbandoned(); // a no-op when the outcome was reported
        compareReplies();
        judge();
        for (ReplicaCall c : calls) {
            c.releaseWindow();
        }
        requestBytes.release();
        budget().release(budgetedRequest);
        request.release();
        events().inflightDecrement();
        front.finished(this);
    }

    /**
     * Who was at fault: a replica is blamed only for failing what another replica answered well,
     * or for a failed connect; a request that failed everywhere is the request's fault (and the
     * query-of-death guard remembers it). See README, "Who is at fault".
     */
    private void judge() {
        boolean anySuccess = false;
        for (int i = 0; i < calls.length; i++) {
            if (choice.succeeded(i)) {
                anySuccess = true;
                events().replicaSucceeded(calls[i].replica());
            }
        }
        boolean everyRunKilled = true;
        FailureCause killed = null;
        for (int i = 0; i < calls.length; i++) {
            if (!calls[i].wasSent() || choice.succeeded(i)) {
                everyRunKilled &= !choice.succeeded(i);
                continue;
            }
            FailureCause cause = choice.cause(i);
            if (cause != null && cause.replicasFault() && (anySuccess || cause == FailureCause.CONNECT)) {
                events().replicaFailed(calls[i].replica(), cause);
            }
            if (cause == FailureCause.RESET || cause == FailureCause.TIMEOUT) {
                killed = cause;
            } else {
                everyRunKilled = false;
            }
        }
        QueryOfDeath guard = services.queryOfDeath();
        if (guard == null) {
            return;
        }
        if (canary) {
            if (choice.succeeded(0)) {
                guard.canarySucceeded(signature);
            } else if (choice.cause(0) == FailureCause.RESET || choice.cause(0) == FailureCause.TIMEOUT) {
                guard.canaryFailed(signature);
                events().quarantined();
            }
        } else if (killed != null && everyRunKilled) {
            guard.failedEverywhere(signature != null ? signature : guard.signature(request), killed);
        }
    }

    private void compareReplies() {
        int source = choice.source();
        if (source < 0 || !choice.succeeded(source) || choice.phase() != Phase.REPLIED) {
            return;
        }
        ReplicaCall chosen = calls[source];
        for (int i = 0; i < calls.length; i++) {
            ReplicaCall c = calls[i];
            if (i == source || !choice.succeeded(i)) {
                continue;
            }
            if (c.status() != chosen.status()) {
                events().divergence(DivergenceKind.STATUS);
                services.divergenceLog().record(DivergenceKind.STATUS, request.method().name(), request.uri(),
                        chosen.replica().name() + " status " + chosen.status(),
                        c.replica().name() + " status " + c.status());
            } else if (c.digest() != sentDigest.getValue() || c.bodyBytes() != sent) {
                events().divergence(DivergenceKind.BODY);
                services.divergenceLog().record(DivergenceKind.BODY, request.method().name(), request.uri(),
                        "sent " + sent + " bytes, crc32c " + Long.toHexString(sentDigest.getValue()),
                        c.replica().name() + " " + c.bodyBytes() + " bytes, crc32c " + Long.toHexString(c.digest()));
            }
        }
    }
}
