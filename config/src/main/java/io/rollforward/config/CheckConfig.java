package io.rollforward.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Active health check of a replica, after ldirectord: {@code GET request} every {@code interval};
 * the check passes when the status is {@code expectStatus} and, if {@code receive} is set, the body
 * contains it. {@code fall} consecutive failures mark the replica DOWN, {@code rise} consecutive
 * passes mark it UP again.
 *
 * <p>Defaults: request {@code /.testpage}, expect-status 200, no receive, interval 2s, timeout 1s,
 * rise 2, fall 3.
 */
public record CheckConfig(String request, int expectStatus, Optional<String> receive,
                          Duration interval, Duration timeout, int rise, int fall) {
    public static final CheckConfig DEFAULT = new CheckConfig(
            "/.testpage", 200, Optional.empty(), Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 3);

    public CheckConfig {
        receive = receive == null ? Optional.empty() : receive;
    }
}
