package io.rollforward.proxy.ordering;

/** Where an exchange reports a replica out of step (the health monitor takes it out of service). */
@FunctionalInterface
public interface OutOfStepSink {
    OutOfStepSink NONE = (replica, reason) -> {
    };

    /** Called on an event loop: must not block. */
    void outOfStep(String replica, String reason);
}
