package io.rollforward.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.rollforward.proxy.replica.ReplyHead;

/**
 * Writes one client reply as the Exchange hands it over: a head, body buffers as they arrive, an
 * end. {@link Http1ReplyWriter} frames bytes for an HTTP/1.x connection; {@link Http2ReplyWriter}
 * writes HTTP objects on an HTTP/2 stream channel, whose codec makes the frames.
 */
interface ReplyWriter {
    /** Whether the client's connection stays open after this reply (known once the head went out). */
    boolean keepAlive();

    /** The chosen replica's head (not flushed). */
    void head(ReplyHead head, ReplyShape shape, String servedBy);

    /** A piece of the body; ownership passes here (not flushed). */
    void body(ByteBuf content);

    /** The end of a read of the source replica. */
    void flushAtReadEnd();

    void flush();

    /** Ends the reply, with the replica's trailers if any (null), and flushes. */
    void end(HttpHeaders trailers);

    /** The proxy's own short plain-text reply, complete; returns its body's length. */
    int full(HttpResponseStatus status, String line);

    /** The client went away: drop what is held. */
    void discard();
}
