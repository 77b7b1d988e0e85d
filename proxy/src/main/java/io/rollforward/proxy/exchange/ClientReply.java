package io.rollforward.proxy.exchange;

/**
 * How the front hears that an exchange's reply is written, so it can start the next pipelined
 * request of the connection (replies go out in request order, RFC 9112 §9.3.2).
 */
public interface ClientReply {
    /** The whole reply is written (or given up); {@code keepAlive} false means the connection closes. */
    void replied(Exchange exchange, boolean keepAlive);

    /** The exchange has no more work: every replica's copy ended. */
    default void finished(Exchange exchange) {
    }
}
