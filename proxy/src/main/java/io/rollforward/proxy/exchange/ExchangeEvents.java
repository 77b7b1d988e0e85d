package io.rollforward.proxy.exchange;

import io.rollforward.proxy.replica.Replica;

/**
 * What an {@link Exchange} reports as it runs: to metrics, to passive health checks, to logs.
 * Called on event loops: implementations must be cheap and must not block.
 */
public interface ExchangeEvents {
    ExchangeEvents NONE = new ExchangeEvents() {
    };

    /** The client got its reply; {@code servedBy} is a replica name, or "none" when it failed. */
    default void requestCompleted(String servedBy, Outcome outcome) {
    }

    /** The acting master failed a request and the exchange rolled forward to a backup. */
    default void rolledForward(FailureCause cause) {
    }

    /** A replica delivered a full reply {@code nanos} after its copy was dispatched. */
    default void replicaLatency(String replica, long nanos) {
    }

    /** A replica's reply was good (status not in fail-on-status). */
    default void replicaSucceeded(Replica replica) {
    }

    /** A replica failed its copy of a request. */
    default void replicaFailed(Replica replica, FailureCause cause) {
    }

    /** A backup's reply differed from the one sent. */
    default void divergence(DivergenceKind kind) {
    }

    /** A reply was streamed past the buffer: no roll-forward was possible for it. */
    default void uncovered() {
    }

    default void inflightIncrement() {
    }

    default void inflightDecrement() {
    }
}
