package io.rollforward.proxy.front;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Why the front refuses a request it decoded: the status the client gets and the {@code reason}
 * tag it is counted under. Carried as the failed {@code DecoderResult} of the request, so the
 * aggregator passes the request on (without its body) and {@link ClientRequestReceiver} answers
 * and closes instead of forwarding anything.
 */
final class FrontRejection extends RuntimeException {
    private final HttpResponseStatus status;
    private final String reason;

    FrontRejection(HttpResponseStatus status, String reason, String why) {
        super(why, null, false, false); // expected input, not a bug: no stack trace
        this.status = status;
        this.reason = reason;
    }

    HttpResponseStatus status() {
        return status;
    }

    /** One of the {@link FrontEvents} reasons. */
    String reason() {
        return reason;
    }
}
