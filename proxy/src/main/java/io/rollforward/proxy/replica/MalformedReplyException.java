package io.rollforward.proxy.replica;

import io.netty.handler.codec.DecoderException;

/**
 * A replica's reply that cannot be passed on: a head larger than the limits ({@link #tooLarge()})
 * or malformed (obs-fold, a bad field name or value, a framing the proxy does not accept), or a
 * broken chunked body. The connection is closed; a bad head counts as the replica's failure (502).
 */
final class MalformedReplyException extends DecoderException {
    private final boolean tooLarge;

    MalformedReplyException(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    boolean tooLarge() {
        return tooLarge;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // an origin's fault, described by the message: no stack to fill per bad reply
    }
}
