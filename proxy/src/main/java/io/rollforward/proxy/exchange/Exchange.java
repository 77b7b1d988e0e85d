package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.rollforward.proxy.ordering.OutOfStepRule;
import io.rollforward.proxy.ordering.StepKeeper;
import io.rollforward.proxy.ordering.WriteOrder;
import io.rollforward.proxy.replica.Replica;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * One client request and its copies on every replica in service: decides which reply the client
 * gets. See DESIGN.md, "The Exchange".
 *
 * <ol>
 *   <li>The copy for the acting master (the first replica) goes out at once, the backups' after
 *       {@code stagger}.</li>
 *   <li>The master's full, good reply is sent to the client.</li>
 *   <li>When the master fails this request (connect, reset, timeout, fail-on-status, marked DOWN)
 *       the exchange rolls forward: the first backup's complete reply is sent at once, or as soon
 *       as one completes; a backup still staggered is sent now, unless the master's connection
 *       died on this very request and the query-of-death guard holds it back.</li>
 *   <li>Every replica failed: 502, or 504 when a timeout was among the causes, with a one-line
 *       body naming each replica's cause.</li>
 *   <li>The other replies are read to the end, compared with the one sent (divergence), and
 *       released; their connections go back to the pool.</li>
 * </ol>
 * A master reply larger than {@code max-response-buffer} is streamed as it arrives (uncovered:
 * once bytes reached the client there is nothing to roll forward to).
 *
 * <p>Everything runs on the client channel's event loop, the same loop as the replica
 * connections: no locks.
 */
public final class Exchange {
    private static final io.netty.util.AsciiString CONTENT_LENGTH = io.netty.util.AsciiString.cached("Content-Length");
    private static final io.netty.util.AsciiString CONNECTION = io.netty.util.AsciiString.cached("Connection");
    private final Channel client;
    private final FullHttpRequest request;
    private final boolean clientKeepAlive;
    private final boolean clientHttp10;
    private final boolean headRequest;
    private final ExchangeSettings settings;
    private final ExchangeEvents events;
    private final DivergenceLog divergenceLog;
    private final ClientReply front;
    private final List<ReplicaCall> calls;
    private final StepKeeper steps;
    private final WriteOrder.Admission admission;

    private ReplicaRequest replicaRequest;
    private FailureCause masterFailure;
    private ReplicaCall chosen;
    private ByteBuf sentBody; // the sent reply's body, kept for the comparison (small replies only)
    private boolean replied;
    private boolean keepAliveReply;
    private boolean clientGone;
    private boolean finished;

    /**
     * @param request  owned by the exchange from here on; released when it finishes
     * @param replicas in service, in priority order (at least one)
     */
    public Exchange(Channel client, FullHttpRequest request, List<Replica> replicas, ExchangeSettings settings,
                    ExchangeEvents events, DivergenceLog divergenceLog, ClientReply front) {
        this(client, request, replicas, settings, events, divergenceLog, front, StepKeeper.OFF, null);
    }

    /**
     * @param steps     judges the replicas' step once an ordered write is done
     * @param admission the request's places in the write order, one per replica; null when not ordered
     */
    public Exchange(Channel client, FullHttpRequest request, List<Replica> replicas, ExchangeSettings settings,
                    ExchangeEvents events, DivergenceLog divergenceLog, ClientReply front, StepKeeper steps,
                    WriteOrder.Admission admission) {
        this.client = client;
        this.request = request;
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        this.clientHttp10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        this.headRequest = HttpMethod.HEAD.equals(request.method());
        this.settings = settings;
        this.events = events;
        this.divergenceLog = divergenceLog;
        this.front = front;
        this.calls = new ArrayList<>(replicas.size());
        this.steps = steps;
        this.admission = admission;
        for (Replica r : replicas) {
            ReplicaCall call = new ReplicaCall(this, r, client.eventLoop());
            if (admission != null) {
                call.orderedBy(admission.ticket(r.name())); // ORDERING HOOK: each call's place
            }
            calls.add(call);
        }
    }

    public void start() {
        events.inflightIncrement();
        replicaRequest = ReplicaRequest.of(request, client.remoteAddress(), client.localAddress());
        // pass-through (mirror off): backups stay STAGGERED with no timer, dispatched only when
        // the master fails, exactly as a staggered copy would be
        boolean staggered = settings.staggerNanos() > 0 || !settings.mirror();
        if (staggered && settings.mirror()) {
            for (int i = 1; i < calls.size(); i++) {
                calls.get(i).staggerUntil(settings.staggerNanos());
            }
        }
        calls.get(0).dispatch();
        if (!staggered) {
            for (int i = 1; i < calls.size(); i++) {
                calls.get(i).dispatch();
            }
        }
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
        if (chosen != null && !chosen.terminal()) {
            chosen.abandon();
        }
    }

    /** The client's socket drained or filled up: resume or pause the streamed replica. */
    public void clientWritabilityChanged() {
        if (chosen != null && !chosen.terminal()) {
            chosen.autoRead(client.isWritable());
        }
    }

    public boolean finished() {
        return finished;
    }

    ExchangeSettings settings() {
        return settings;
    }

    ExchangeEvents events() {
        return events;
    }

    ReplicaRequest replicaRequest() {
        return replicaRequest;
    }

    // ---- reports from the calls

    void onComplete(ReplicaCall call) {
        if (settings.failsOn(call.status())) {
            call.markFailedByStatus();
            events.replicaFailed(call.replica(), FailureCause.STATUS);
        } else {
            events.replicaSucceeded(call.replica());
        }
        if (!replied) {
            decide();
        }
        maybeFinish();
    }

    void onFailed(ReplicaCall call, boolean wasStreaming) {
        boolean replicaAtFault = call.cause() != FailureCause.QUARANTINED && call.cause() != FailureCause.REPLICA_DOWN
                && !(clientGone && call == chosen);
        if (replicaAtFault) {
            events.replicaFailed(call.replica(), call.cause());
        }
        if (wasStreaming && call == chosen) {
            // bytes of this reply already reached the client: all we can do is close honestly
            client.close();
            front.replied(this, false);
        }
        if (!replied) {
            decide();
        }
        maybeFinish();
    }

    /** A reply outgrew the buffer: true = stream it to the client now; false = drop its body. */
    boolean onOverflow(ReplicaCall call) {
        if (replied || settings.failsOn(call.status())) {
            return false;
        }
        ReplicaCall master = calls.get(0);
        if (call == master && masterFailure == null) {
            startStreaming(call, Outcome.MASTER);
            return true;
        }
        if (call != master && masterFailure != null) {
            startStreaming(call, Outcome.ROLLED_FORWARD);
            return true;
        }
        return false;
    }

    /** A piece of the streamed reply; ownership of {@code content} passes here. */
    void stream(ReplicaCall call, HttpContent content, boolean last) {
        if (call != chosen || clientGone) {
            content.release();
            return;
        }
        if (last) {
            client.writeAndFlush(content).addListener(keepAliveReply ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
            front.replied(this, keepAliveReply);
        } else {
            client.writeAndFlush(content);
            if (!client.isWritable()) {
                call.autoRead(false);
            }
        }
    }

    // ---- decisions

    private void decide() {
        ReplicaCall master = calls.get(0);
        if (masterFailure == null) {
            if (master.usable()) {
                reply(master, Outcome.MASTER);
                return;
            }
            if (!master.terminal()) {
                return;
            }
            masterFailure = master.cause();
            if (calls.size() > 1) {
                events.rolledForward(masterFailure);
            }
            // Only a copy staggered on purpose is held back: without stagger the backups are still
            // STAGGERED for a moment inside start(), when the master's dispatch fails synchronously.
            boolean poison = settings.holdBackPoison() && masterFailure == FailureCause.RESET
                    && settings.staggerNanos() > 0;
            for (int i = 1; i < calls.size(); i++) {
                ReplicaCall backup = calls.get(i);
                if (poison) {
                    backup.holdBack();
                } else {
                    backup.dispatch();
                }
                if (replied) {
                    return;
                }
            }
        }
        boolean pending = false;
        for (int i = 1; i < calls.size(); i++) {
            ReplicaCall backup = calls.get(i);
            if (backup.usable()) {
                reply(backup, Outcome.ROLLED_FORWARD);
                return;
            }
            pending |= backup.pending();
        }
        if (!pending) {
            replyFailure();
        }
    }

    /**
     * Makes {@code call} the one whose reply the client gets and takes what it has buffered;
     * null (released) when the client has gone meanwhile.
     */
    private ByteBuf choose(ReplicaCall call, Outcome outcome) {
        replied = true;
        chosen = call;
        events.requestCompleted(call.replica().name(), outcome);
        ByteBuf body = call.takeBody();
        if (clientGone) {
            body.release();
            return null;
        }
        return body;
    }

    private void reply(ReplicaCall call, Outcome outcome) {
        ByteBuf body = choose(call, outcome);
        if (body == null) {
            return;
        }
        HttpHeaders headers = replyHeaders(call);
        int code = call.status();
        if (code == 204) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
        } else if (!headRequest && code != 304) {
            headers.set(CONTENT_LENGTH, body.readableBytes());
        }
        keepAliveReply = clientKeepAlive && client.isActive();
        setConnection(headers, keepAliveReply);
        if (settings.divergenceRules().comparesBytes(body.readableBytes())) {
            sentBody = body; // DIVERGENCE HOOK: kept for the byte comparison; the client gets its own view
            body = body.retainedDuplicate();
        }
        client.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, call.head().status(), body,
                        headers, EmptyHttpHeaders.INSTANCE))
                .addListener(keepAliveReply ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        front.replied(this, keepAliveReply);
    }

    private void startStreaming(ReplicaCall call, Outcome outcome) {
        events.uncovered();
        ByteBuf buffered = choose(call, outcome);
        if (buffered == null) {
            return;
        }
        HttpHeaders headers = replyHeaders(call);
        keepAliveReply = clientKeepAlive && client.isActive();
        if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (clientHttp10) {
                keepAliveReply = false; // HTTP/1.0 has no chunked coding: the close ends the body
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        }
        setConnection(headers, keepAliveReply);
        client.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, call.head().status(), headers));
        client.writeAndFlush(new DefaultHttpContent(buffered));
        if (!client.isWritable()) {
            call.autoRead(false);
        }
    }

    private void replyFailure() {
        replied = true;
        events.requestCompleted("none", Outcome.FAILED);
        if (clientGone) {
            return;
        }
        boolean timeout = false;
        StringJoiner causes = new StringJoiner("; ");
        for (ReplicaCall c : calls) {
            timeout |= c.cause() == FailureCause.TIMEOUT;
            causes.add(c.replica().name() + ": " + (c.cause() == null
                    ? "reply larger than max-response-buffer"
                    : c.cause().tag() + " (" + c.detail() + ")"));
        }
        HttpResponseStatus status = timeout ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY;
        byte[] text = (status.code() + " " + status.reasonPhrase() + ": every replica failed: " + causes + "\n")
                .getBytes(StandardCharsets.UTF_8);
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(text));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, text.length);
        keepAliveReply = clientKeepAlive && client.isActive();
        setConnection(response.headers(), keepAliveReply);
        client.writeAndFlush(response)
                .addListener(keepAliveReply ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
        front.replied(this, keepAliveReply);
    }

    /** The chosen reply's own headers, made fit for the client hop (they are ours to change). */
    private HttpHeaders replyHeaders(ReplicaCall call) {
        HttpHeaders headers = call.head().headers();
        HopByHopHeaders.strip(headers);
        if (settings.servedByHeader() != null) {
            headers.set(settings.servedByHeader(), call.replica().name());
        }
        return headers;
    }

    private void setConnection(HttpHeaders headers, boolean keepAlive) {
        if (!keepAlive) {
            headers.set(CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientHttp10) {
            headers.set(CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    // ---- the end

    private void maybeFinish() {
        if (finished || !replied) {
            return;
        }
        if (!settings.mirror()) {
            for (ReplicaCall c : calls) {
                c.skip();
            }
        }
        for (ReplicaCall c : calls) {
            if (!c.terminal()) {
                return;
            }
        }
        finished = true;
        compareReplies();
        judgeStep(); // ORDERING HOOK (every call terminal): out_of_step verdicts
        for (ReplicaCall c : calls) {
            c.releaseBody();
        }
        if (sentBody != null) {
            sentBody.release();
            sentBody = null;
        }
        request.release();
        events.inflightDecrement();
        front.finished(this);
    }

    private void compareReplies() {
        if (chosen == null || chosen.state() != ReplicaCall.State.COMPLETE) {
            return;
        }
        DivergenceRules rules = settings.divergenceRules();
        String method = request.method().name();
        String sent = chosen.replica().name();
        for (ReplicaCall c : calls) {
            if (c == chosen || c.state() != ReplicaCall.State.COMPLETE || c.failedByStatus()) {
                continue;
            }
            String other = c.replica().name();
            if (c.status() != chosen.status()) {
                events.divergence(DivergenceKind.STATUS);
                divergenceLog.record(DivergenceKind.STATUS, method, request.uri(), sent + " status " + chosen.status(),
                        other + " status " + c.status());
                continue;
            }
            String header = rules.differingHeader(chosen.head().headers(), c.head().headers(), true);
            if (header != null) {
                events.divergence(DivergenceKind.HEADER);
                divergenceLog.record(DivergenceKind.HEADER, method, request.uri(), sent + " " + header,
                        other + " " + rules.differingHeader(chosen.head().headers(), c.head().headers(), false));
                continue;
            }
            DivergenceRules.BodyDifference body = rules.compareBodies(sentBody, chosen.digest(), c.bufferedBody(), c.digest());
            if (body != null) {
                events.divergence(DivergenceKind.BODY);
                divergenceLog.record(DivergenceKind.BODY, method, request.uri(), sent + " " + body.describe(true),
                        other + " " + body.describe(false));
            }
        }
    }

    /** An ordered write is done everywhere: who missed it, or answered it otherwise, is out of step. */
    private void judgeStep() {
        if (admission == null) {
            return;
        }
        List<OutOfStepRule.Copy> copies = new ArrayList<>(calls.size());
        OutOfStepRule.Copy sent = null;
        for (ReplicaCall c : calls) {
            String name = c.replica().name();
            OutOfStepRule.Copy copy;
            if (c.state() == ReplicaCall.State.COMPLETE) {
                copy = OutOfStepRule.Copy.answered(name, c.status());
            } else if (missed(c)) {
                copy = OutOfStepRule.Copy.missed(name, c.cause().tag() + ": " + c.detail());
            } else {
                copy = OutOfStepRule.Copy.notSent(name);
            }
            if (c == chosen && c.state() == ReplicaCall.State.COMPLETE && !c.failedByStatus()) {
                sent = copy;
            }
            copies.add(copy);
        }
        steps.judge(admission, request.method().name() + " " + request.uri(), sent, copies);
    }

    /** Failed in a way that leaves unknown whether the replica applied the request. */
    private boolean missed(ReplicaCall c) {
        FailureCause cause = c.cause();
        boolean unknown = cause == FailureCause.TIMEOUT || cause == FailureCause.RESET || cause == FailureCause.CONNECT;
        return unknown && !(clientGone && c == chosen);
    }
}
