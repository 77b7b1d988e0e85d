package io.rollforward.proxy.ordering;

/** What the {@link WriteOrder} reports, for metrics. Called on event loops: cheap, never blocking. */
public interface WriteOrderEvents {
    WriteOrderEvents NONE = new WriteOrderEvents() {
    };

    /** A replica's copy of an ordered request got its turn {@code nanos} after it was admitted. */
    default void waited(String keyKind, long nanos) {
    }

    /** An ordered write was refused: {@code bound} is {@code key} or {@code total}. */
    default void refused(String keyKind, String bound) {
    }
}
