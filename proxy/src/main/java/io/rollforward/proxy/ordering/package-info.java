/**
 * Keeping the replicas in step (DESIGN.md, "Consistency"): one order of writes per ordering key on
 * every replica ({@link io.rollforward.proxy.ordering.WriteOrder}), the key a request is ordered
 * by ({@link io.rollforward.proxy.ordering.OrderingKey}), and the verdict that a replica which
 * missed a write is out of step ({@link io.rollforward.proxy.ordering.OutOfStepRule}).
 *
 * <p>Called by the exchange (on event loops) and read by metrics and {@code /status}. Knows
 * replicas only by name and event loops only as {@link java.util.concurrent.Executor}s, so the
 * logic is tested without sockets.
 */
package io.rollforward.proxy.ordering;
