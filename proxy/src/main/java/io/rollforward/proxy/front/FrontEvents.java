package io.rollforward.proxy.front;

/**
 * Bad input and refusals at the front; the {@code reason} tag of
 * {@code rollforward_client_rejected_total}.
 */
public interface FrontEvents {
    String BAD_REQUEST = "bad_request";
    String HEADER_TOO_LARGE = "header_too_large";
    String URI_TOO_LONG = "uri_too_long";
    String BODY_TOO_LARGE = "body_too_large";
    String HEADER_TIMEOUT = "header_timeout";
    String TOO_MANY_CONNECTIONS = "too_many_connections";
    String NO_REPLICA = "no_replica";

    FrontEvents NONE = reason -> {
    };

    void rejected(String reason);
}
