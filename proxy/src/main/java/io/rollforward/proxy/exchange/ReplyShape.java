package io.rollforward.proxy.exchange;

import io.netty.handler.codec.http.HttpResponse;
import io.rollforward.proxy.replica.ReplyHead;

/**
 * What two replies must share for the client's reply to continue from one to the other mid-body:
 * the status and the framing. A reply with a Content-Length needs the same length; a chunked or
 * close-delimited one (length unknown, -1) matches either, since the proxy frames the client's
 * hop itself.
 */
record ReplyShape(int status, long contentLength) {
    static final long UNKNOWN = -1;

    static ReplyShape of(ReplyHead head) {
        return new ReplyShape(head.status(), head.contentLength());
    }

    /** The shape of an HTTP object's head (as {@link ReplyHead#of} reads it). */
    static ReplyShape of(HttpResponse head) {
        return of(ReplyHead.of(head, false));
    }
}
