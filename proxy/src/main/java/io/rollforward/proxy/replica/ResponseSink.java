package io.rollforward.proxy.replica;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * Receives one replica's response as it is read: the head once, the body's bytes as they arrive
 * (slices of the socket's buffers, never re-encoded), the end. The sink owns every buffer it is
 * given and must release it.
 */
public interface ResponseSink {
    /** The final (non-1xx) status line and fields. */
    void onHead(ReplyHead head);

    /** A piece of the body (ownership passes to the sink). */
    void onBody(ByteBuf piece);

    /** The body ended; {@code trailers} are a chunked body's trailer fields, or null. */
    void onEnd(HttpHeaders trailers);

    /** The connection failed or closed before the response was complete, or its body's framing broke. */
    void onBroken(Throwable cause);

    /** The reply head could not be read: larger than the limit ({@code tooLarge}) or malformed. */
    void onBadHead(Throwable cause, boolean tooLarge);

    /** The end of one read from the socket: a good moment to flush what was forwarded. */
    default void onReadComplete() {
    }
}
