package io.rollforward.proxy.front;

/**
 * Bad input and refusals at the front; the {@code reason} tag of
 * {@code rollforward_client_rejected_total}.
 */
public interface FrontEvents {
    /** Malformed request line or header, unsupported version, bad Host or request target. */
    String BAD_REQUEST = "bad_request";
    /** Conflicting or invalid body framing: CL with TE, several CL, bad chunk, chunk extension abuse. */
    String FRAMING = "bad_framing";
    /** A header line continued with obs-fold (RFC 9112 section 5.2). */
    String OBS_FOLD = "obs_fold";
    String HEADER_TOO_LARGE = "header_too_large";
    String URI_TOO_LONG = "uri_too_long";
    String BODY_TOO_LARGE = "body_too_large";
    String HEADER_TIMEOUT = "header_timeout";
    String TOO_MANY_CONNECTIONS = "too_many_connections";
    String NO_REPLICA = "no_replica";
    /** A WebSocket upgrade: not proxied (501). */
    String UPGRADE = "upgrade";
    /** The request's {@code Via} already names this proxy: it came back from a replica (508). */
    String LOOP = "loop";
    /** An ordered write over limits.max-queued-writes(-per-key). */
    String WRITE_QUEUE_FULL = "write_queue_full";

    FrontEvents NONE = reason -> {
    };

    void rejected(String reason);
}
