package io.rollforward.proxy.exchange;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

/**
 * What two replies must share for the client's reply to continue from one to the other mid-body:
 * the status and the framing. A reply with a Content-Length needs the same length; a chunked or
 * close-delimited one (length unknown, -1) matches either, since the proxy frames the client's
 * hop itself.
 */
record ReplyShape(int status, long contentLength) {
    static final long UNKNOWN = -1;

    static ReplyShape of(HttpResponse head) {
        long length = UNKNOWN;
        if (!HttpUtil.isTransferEncodingChunked(head)) {
            String cl = head.headers().get(HttpHeaderNames.CONTENT_LENGTH);
            if (cl != null) {
                try {
                    length = Long.parseLong(cl.trim());
                } catch (NumberFormatException e) {
                    length = UNKNOWN;
                }
            }
        }
        return new ReplyShape(head.status().code(), length);
    }
}
