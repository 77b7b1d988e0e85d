package io.rollforward.proxy.ordering;

import io.netty.handler.codec.http.HttpRequest;
import io.rollforward.config.DivergenceConfig.OnWrite;
import io.rollforward.config.Limits;
import io.rollforward.config.OrderingConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the replicas in step, for the exchanges: admits each ordered request to the
 * {@link WriteOrder} (one place per replica, taken when the request is received), and once an
 * ordered write is done everywhere reports the replicas that {@link OutOfStepRule} finds out of
 * step. One per proxy, shared by every event loop; {@link #OFF} when {@code ordering} is not set.
 */
public final class StepKeeper {
    private static final Logger log = LoggerFactory.getLogger(StepKeeper.class);

    /** Nothing is ordered, nobody is judged. */
    public static final StepKeeper OFF = new StepKeeper(null, null, OutOfStepSink.NONE, OnWrite.LOG);

    private final OrderingKey keys;
    private final WriteOrder order;
    private final OutOfStepSink sink;
    private final OnWrite onWrite;

    private StepKeeper(OrderingKey keys, WriteOrder order, OutOfStepSink sink, OnWrite onWrite) {
        this.keys = keys;
        this.order = order;
        this.sink = sink;
        this.onWrite = onWrite;
    }

    public static StepKeeper of(OrderingConfig config, Limits limits, OnWrite onWrite, WriteOrderEvents events,
                                OutOfStepSink sink) {
        OrderingKey keys = new OrderingKey(config);
        return new StepKeeper(keys, new WriteOrder(keys.kindTag(), limits.maxQueuedWrites(),
                limits.maxQueuedWritesPerKey(), events, System::nanoTime), sink, onWrite);
    }

    public boolean on() {
        return order != null;
    }

    /**
     * The request's places on {@code replicas}, or null when it is not ordered (ordering off, or a
     * read with {@code reads: free}). Call on the request's event loop, {@code loop}.
     *
     * @throws WriteQueueFull a write over a bound: answer 503, send nothing
     */
    public WriteOrder.Admission admit(HttpRequest request, List<String> replicas, Executor loop) throws WriteQueueFull {
        if (order == null || !keys.isOrdered(request)) {
            return null;
        }
        return order.admit(keys.of(request), keys.isWrite(request), replicas, loop);
    }

    /**
     * An ordered request is done on every replica: for a write, takes the replicas that missed it
     * (or, with {@code on-write: eject}, answered it differently) out of step.
     *
     * @param sent the copy whose reply the client got, or null
     */
    public void judge(WriteOrder.Admission admission, String requestLine, OutOfStepRule.Copy sent,
                      List<OutOfStepRule.Copy> copies) {
        if (admission == null || admission.tickets().isEmpty() || !admission.tickets().get(0).isWrite()) {
            return;
        }
        for (OutOfStepRule.Verdict v : OutOfStepRule.judge(requestLine, sent, copies, onWrite)) {
            log.warn("replica {} out_of_step: {}", v.replica(), v.reason());
            sink.outOfStep(v.replica(), v.reason());
        }
    }

    /** Queue depths for {@code GET /status}; null when ordering is off. */
    public Map<String, Object> status() {
        return order == null ? null : order.status();
    }

    /** Ordered writes queued or running now (the metrics gauge). */
    public int queuedWrites() {
        return order == null ? 0 : order.queuedWrites();
    }
}
