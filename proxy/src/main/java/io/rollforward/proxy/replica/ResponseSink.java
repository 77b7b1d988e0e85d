package io.rollforward.proxy.replica;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Receives one replica's response as it is decoded. The sink owns every {@link HttpContent} it is
 * given and must release it.
 */
public interface ResponseSink {
    /** The final (non-1xx) status line and headers. */
    void onHead(HttpResponse head);

    /** A piece of the body; {@code last} is true for the {@code LastHttpContent}. */
    void onContent(HttpContent content, boolean last);

    /** The connection failed or closed before the response was complete. */
    void onBroken(Throwable cause);

    /** The reply head could not be decoded: larger than the limit ({@code tooLarge}) or malformed. */
    void onBadHead(Throwable cause, boolean tooLarge);

    /** The end of one read from the socket: a good moment to flush what was forwarded. */
    default void onReadComplete() {
    }
}
