package io.rollforward.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Active health check of a replica, after ldirectord: {@code GET request} every {@code interval};
 * the check passes when the status is {@code expectStatus} and, if {@code receive} is set, the body
 * contains it. {@code fall} consecutive failures mark the replica DOWN, {@code rise} consecutive
 * passes mark it UP again.
 *
 * <p>{@code host} is the {@code Host} header the check sends, for a server that answers its test
 * page only on a virtual host (default: the replica's {@code host:port} from its URL).
 *
 * <p>Defaults: request {@code /.testpage}, expect-status 200, no receive, interval 2s, timeout 1s,
 * rise 2, fall 3, host from the URL.
 */
public record CheckConfig(String request, int expectStatus, Optional<String> receive,
                          Duration interval, Duration timeout, int rise, int fall, Optional<String> host) {
    public static final CheckConfig DEFAULT = new CheckConfig(
            "/.testpage", 200, Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3);

    public CheckConfig {
        receive = receive == null ? Optional.empty() : receive;
        host = host == null ? Optional.empty() : host;
    }

    /** A check that sends the replica's own {@code host:port} as {@code Host}. */
    public CheckConfig(String request, int expectStatus, Optional<String> receive,
                       Duration interval, Duration timeout, int rise, int fall) {
        this(request, expectStatus, receive, interval, timeout, rise, fall, Optional.empty());
    }
}
