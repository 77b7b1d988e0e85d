package io.rollforward.heartbeat;

import java.io.IOException;

/** The shared key file cannot be used; the message names the file and the fix. */
public final class AuthKeyException extends IOException {
    public AuthKeyException(String message) {
        super(message);
    }

    public AuthKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
