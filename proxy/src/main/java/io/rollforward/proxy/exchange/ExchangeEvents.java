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

    /**
     * The acting master (or the copy streaming) failed a request and the exchange rolled forward:
     * before the reply's head ({@code midBody} false) or by a splice after body bytes went out.
     */
    default void rolledForward(FailureCause cause, boolean midBody) {
    }

    /** A client's reply continued from a backup at the byte offset already sent. */
    default void spliced() {
    }

    /** A request was refused, or its canary failed, by the query-of-death guard. */
    default void quarantined() {
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

    /** A reply's head went out and its body could not be completed: the client's connection was closed. */
    default void uncovered(UncoveredReason reason) {
    }

    default void inflightIncrement() {
    }

    default void inflightDecrement() {
    }

    /** Reports to each of {@code listeners} in turn. */
    static ExchangeEvents all(ExchangeEvents... listeners) {
        ExchangeEvents[] ls = listeners.clone();
        return new ExchangeEvents() {
            @Override
            public void requestCompleted(String servedBy, Outcome outcome) {
                for (ExchangeEvents l : ls) {
                    l.requestCompleted(servedBy, outcome);
                }
            }

            @Override
            public void rolledForward(FailureCause cause, boolean midBody) {
                for (ExchangeEvents l : ls) {
                    l.rolledForward(cause, midBody);
                }
            }

            @Override
            public void spliced() {
                for (ExchangeEvents l : ls) {
                    l.spliced();
                }
            }

            @Override
            public void quarantined() {
                for (ExchangeEvents l : ls) {
                    l.quarantined();
                }
            }

            @Override
            public void replicaLatency(String replica, long nanos) {
                for (ExchangeEvents l : ls) {
                    l.replicaLatency(replica, nanos);
                }
            }

            @Override
            public void replicaSucceeded(Replica replica) {
                for (ExchangeEvents l : ls) {
                    l.replicaSucceeded(replica);
                }
            }

            @Override
            public void replicaFailed(Replica replica, FailureCause cause) {
                for (ExchangeEvents l : ls) {
                    l.replicaFailed(replica, cause);
                }
            }

            @Override
            public void divergence(DivergenceKind kind) {
                for (ExchangeEvents l : ls) {
                    l.divergence(kind);
                }
            }

            @Override
            public void uncovered(UncoveredReason reason) {
                for (ExchangeEvents l : ls) {
                    l.uncovered(reason);
                }
            }

            @Override
            public void inflightIncrement() {
                for (ExchangeEvents l : ls) {
                    l.inflightIncrement();
                }
            }

            @Override
            public void inflightDecrement() {
                for (ExchangeEvents l : ls) {
                    l.inflightDecrement();
                }
            }
        };
    }
}
