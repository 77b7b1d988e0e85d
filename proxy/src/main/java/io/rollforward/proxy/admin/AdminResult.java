package io.rollforward.proxy.admin;

import java.util.Objects;

/**
 * What a mutating admin call did: an HTTP status and a one-line message, sent as
 * {@code {"message": "..."}}.
 *
 * @param status  200 (done), 202 (started, e.g. a drain that completes later), 400 (the call's
 *                argument is malformed), 404 (no such replica or group) or 409 (not applicable now, e.g. failover without a standby peer)
 * @param message for the operator; never a secret
 */
public record AdminResult(int status, String message) {
    public AdminResult {
        Objects.requireNonNull(message, "message");
        if (status != 200 && status != 202 && status != 400 && status != 404 && status != 409) {
            throw new IllegalArgumentException("status: " + status + " (expected: 200, 202, 400, 404 or 409)");
        }
    }

    /** 200: done. */
    public static AdminResult ok(String message) {
        return new AdminResult(200, message);
    }

    /** 202: accepted, completes in the background. */
    public static AdminResult accepted(String message) {
        return new AdminResult(202, message);
    }

    /** 400: the call's argument is malformed. */
    public static AdminResult badRequest(String message) {
        return new AdminResult(400, message);
    }

    /** 404: the named replica is not configured. */
    public static AdminResult notFound(String message) {
        return new AdminResult(404, message);
    }

    /** 409: not applicable in the current state. */
    public static AdminResult conflict(String message) {
        return new AdminResult(409, message);
    }
}
