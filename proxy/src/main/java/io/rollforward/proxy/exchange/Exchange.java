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
import io.rollforward.proxy.ordering.OutOfStepRule;
import io.rollforward.proxy.ordering.StepKeeper;
import io.rollforward.proxy.ordering.WriteOrder;
import io.rollforward.proxy.replica.Replica;
import java.util.List;
import java.util.StringJoiner;
import java.util.zip.CRC32C;

/**
 * One client request and its copies on every replica in service: streams the chosen reply to the
 * client as it arrives and keeps it covered. The decisions are {@link ReplyChoice}'s (a pure state
 * machine); this class is its shell: it sends the request bytes (encoded once) through a
 * {@link ReplicaCall} per replica, writes the client's reply with a {@link ReplyWriter} (HTTP/1.x
 * bytes, or HTTP/2 stream objects),
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
    /** GET, HEAD, OPTIONS or TRACE (RFC 9110 §9.2.1): a copy nobody will read can be dropped. */
    private final boolean safeMethod;
    private final ExchangeSettings settings;
    private final ExchangeServices services;
    private final ClientReply front;
    private final ReplicaCall[] calls;
    private final ReplyWriter writer;
    private final StepKeeper steps;
    private final WriteOrder.Admission admission;
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
    /** When the whole request had arrived (wall clock and monotonic), for the access log. */
    private final long startMillis = System.currentTimeMillis();

    /**
     * @param request  owned by the exchange from here on; released when it finishes
     * @param replicas in service, in priority order (at least one)
     */
    public Exchange(Channel client, FullHttpRequest request, List<Replica> replicas, ExchangeSettings settings,
                    ExchangeServices services, ClientReply front) {
        this(client, request, replicas, settings, services, front, StepKeeper.OFF, null);
    }

    /**
     * @param steps     judges the replicas' step once an ordered write is done
     * @param admission the request's places in the write order, one per replica; null when not ordered
     */
    public Exchange(Channel client, FullHttpRequest request, List<Replica> replicas, ExchangeSettings settings,
                    ExchangeServices services, ClientReply front, StepKeeper steps, WriteOrder.Admission admission) {
        this.steps = steps;
        this.admission = admission;
        this.client = client;
        this.request = request;
        this.headRequest = HttpMethod.HEAD.equals(request.method());
        this.safeMethod = isSafe(request.method());
        this.settings = settings;
        this.services = services;
        this.front = front;
        this.calls = new ReplicaCall[replicas.size()];
        for (int i = 0; i < calls.length; i++) {
            calls[i] = new ReplicaCall(this, i, replicas.get(i), client.eventLoop());
            if (admission != null) {
                calls[i].orderedBy(admission.ticket(replicas.get(i).name()));
            }
        }
        // byte samples serve only the comparison of two answered copies: mirrored requests alone
        // have them (pass-through sends a backup only when the master failed); else the CRC decides
        long compareBytes = settings.mirror() && calls.length > 1 ? settings.divergenceRules().sampleLimit() : 0;
        // the bytes sent are not sampled a third time: a reply compared is one the source answered
        // in full, so the client got the source's body (spliced: a prefix of equal CRC, then its rest)
        if (compareBytes > 0) {
            for (ReplicaCall c : calls) {
                c.sampleBody(compareBytes, settings.divergenceRules().samplesPrefix());
            }
        }
        this.writer = io.rollforward.proxy.front.FrontProtocol.isHttp2(client)
                ? new Http2ReplyWriter(client, headRequest, settings.servedByHeader())
                : new Http1ReplyWriter(client, headRequest, HttpUtil.isKeepAlive(request),
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
        String scheme = io.rollforward.proxy.front.FrontProtocol.isTls(client) ? "https" : "http";
        requestBytes = ReplicaRequest.of(request, client.remoteAddress(), client.localAddress(), settings.forwarded(),
                scheme).encode(client.alloc());
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

    /**
     * The client connection closed. For a safe method every copy still running is dropped (its
     * connection closed) and none is sent any more: nobody will read them, and reading a left
     * download to its end would cost the origins the whole transfer. For any other method only the
     * copy streaming to the client is dropped; the copies sent still finish the request, so every
     * replica that got a write completes it (see {@link ReplyChoice#clientGone(boolean)}).
     */
    public void clientGone() {
        clientGone = true;
        if (choice == null) {
            return;
        }
        // a reply already complete leaves its other copies to finish and be compared, as usual
        boolean dropAll = safeMethod && choice.phase() != Phase.REPLIED;
        choice.clientGone(!safeMethod);
        writer.discard();
        int source = choice.source();
        for (int i = 0; i < calls.length; i++) {
            ReplicaCall c = calls[i];
            if (!c.terminal() && (dropAll || (i == source && c.role() == ReplicaCall.Role.SOURCE))) {
                c.abandon();
            }
        }
        afterEvent();
    }

    private static boolean isSafe(HttpMethod method) {
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) || HttpMethod.OPTIONS.equals(method)
                || HttpMethod.TRACE.equals(method);
    }

    /**
     * The proxy is stopping and this exchange is out of time: the client's reply is cut, every
     * copy still running is dropped (its connection closed), and what the exchange holds is
     * released. No replica is blamed.
     */
    public void stop() {
        if (finished) {
            return;
        }
        if (!clientGone) {
            client.close();
            clientGone();
        }
        for (ReplicaCall c : calls) {
            if (!c.terminal()) {
                c.fail(FailureCause.INTERNAL, "the proxy is stopping (shutdown-timeout)");
            }
        }
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
        reportOutcome(source.replica().name(), choice.source() == 0 ? Outcome.MASTER : Outcome.ROLLED_FORWARD,
                source.status(), sent, choice.source() == 0 ? null : choice.cause(0), null);
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
        if (clientGone) {
            reportOutcome("none", Outcome.FAILED, 0, 0, choice.cause(0), "the client left first");
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
        int bytes = writer.full(status, "every replica failed: " + causes);
        reportOutcome("none", Outcome.FAILED, status.code(), bytes, choice.cause(0), causes.toString());
        front.replied(this, writer.keepAlive());
    }

    @Override
    public void abort(UncoveredReason reason) {
        events().uncovered(reason);
        ReplicaCall source = calls[choice.source()];
        reportOutcome(source.replica().name(), Outcome.FAILED, source.status(), sent, choice.cause(choice.source()),
                "cut mid-body, uncovered: " + reason.tag());
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

    /** The client's reply is done (sent, cut off, or the client left first): counted and logged once. */
    private void reportOutcome(String servedBy, Outcome outcome, int status, long bytes, FailureCause cause,
                               String detail) {
        if (outcomeReported) {
            return;
        }
        outcomeReported = true;
        events().requestCompleted(servedBy, outcome);
        events().exchangeEnded(ExchangeSummary.of(request, client.remoteAddress(), status, bytes, servedBy, outcome,
                cause, detail, startMillis, startedAt));
    }

    /** The client left before its reply was decided: count what it would have got. */
    private void reportAbandoned() {
        for (int i = 0; i < calls.length; i++) {
            if (choice.succeeded(i)) {
                reportOutcome(calls[i].replica().name(), i == 0 ? Outcome.MASTER : Outcome.ROLLED_FORWARD, 0, sent,
                        i == 0 ? null : choice.cause(0), "the client left first");
                return;
            }
        }
        reportOutcome("none", Outcome.FAILED, 0, sent, choice.cause(0), "the client left first");
    }

    private void refuseQuarantined() {
        events().quarantined();
        replyWritten = true;
        int bytes = writer.full(HttpResponseStatus.SERVICE_UNAVAILABLE, "this request is quarantined: it failed every replica"
                + " (reset or timeout) and failed again as a canary; it is refused for query-of-death.quarantine-time");
        reportOutcome("none", Outcome.FAILED, 503, bytes, FailureCause.QUARANTINED, "quarantined by the query-of-death guard");
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
        judgeStep();
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
                // a copy held back because the client left was never tried: not "failed everywhere"
                everyRunKilled &= !choice.succeeded(i) && choice.cause(i) != FailureCause.CLIENT_GONE;
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

    /** An ordered write is done everywhere: who missed it, or answered it otherwise, is out of step. */
    private void judgeStep() {
        if (admission == null) {
            return;
        }
        List<OutOfStepRule.Copy> copies = new java.util.ArrayList<>(calls.length);
        OutOfStepRule.Copy sentCopy = null;
        for (int i = 0; i < calls.length; i++) {
            ReplicaCall c = calls[i];
            String name = c.replica().name();
            FailureCause cause = c.cause();
            OutOfStepRule.Copy copy;
            if (c.state() == ReplicaCall.State.COMPLETE) {
                copy = OutOfStepRule.Copy.answered(name, c.status());
            } else if (cause == FailureCause.TIMEOUT || cause == FailureCause.RESET || cause == FailureCause.CONNECT) {
                // failed in a way that leaves unknown whether the replica applied the write
                copy = OutOfStepRule.Copy.missed(name, cause.tag() + ": " + c.detail());
            } else {
                copy = OutOfStepRule.Copy.notSent(name);
            }
            if (i == choice.source() && choice.succeeded(i)) {
                sentCopy = copy;
            }
            copies.add(copy);
        }
        steps.judge(admission, request.method().name() + " " + request.uri(), sentCopy, copies);
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
                continue;
            }
            DivergenceRules rules = settings.divergenceRules();
            String header = rules.differingHeader(chosen.head(), c.head(), true);
            if (header != null) {
                events().divergence(DivergenceKind.HEADER);
                services.divergenceLog().record(DivergenceKind.HEADER, request.method().name(), request.uri(),
                        chosen.replica().name() + " " + header,
                        c.replica().name() + " " + rules.differingHeader(chosen.head(), c.head(), false));
                continue;
            }
            // the client's bytes may come from two replicas (a splice): compare against what was sent
            BodySample sentSample = chosen.sample();
            DivergenceRules.BodyDifference body = c.bodyBytes() != sent && (sentSample == null || c.sample() == null)
                    ? new DivergenceRules.BodyDifference(-1, sent + " bytes", c.bodyBytes() + " bytes")
                    : rules.compareBodies(sentSample == null ? null : sentSample.body(), sentDigest.getValue(),
                            c.sample() == null ? null : c.sample().body(), c.digest());
            if (body != null) {
                events().divergence(DivergenceKind.BODY);
                services.divergenceLog().record(DivergenceKind.BODY, request.method().name(), request.uri(),
                        chosen.replica().name() + " " + body.describe(true), c.replica().name() + " " + body.describe(false));
            }
        }
    }
}
