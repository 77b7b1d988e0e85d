package io.rollforward.proxy.ordering;

/** An ordered write over {@code limits.max-queued-writes(-per-key)}: the client gets 503. */
public final class WriteQueueFull extends Exception {
    private final String bound;

    WriteQueueFull(String bound, String why) {
        super(why, null, false, false); // an expected refusal, not a bug: no stack trace
        this.bound = bound;
    }

    /** {@code key} or {@code total}. */
    public String bound() {
        return bound;
    }
}
