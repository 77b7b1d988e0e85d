package io.rollforward.config;

import java.time.Duration;

/**
 * The query-of-death guard: a request whose copy killed a replica's connection or timed out is
 * remembered by its signature; the next request with that signature is a canary sent to the acting
 * master alone, and if it fails the same way the signature is quarantined (refused with 503).
 *
 * @param enabled        false restores the behaviour without the guard (default true)
 * @param withBody       the signature covers a digest of the request body as well as method and
 *                       path (default false: method and path)
 * @param maxEntries     signatures remembered at most, least recently used dropped first (default 10000)
 * @param rememberFor    how long a suspect signature is remembered (default 60s)
 * @param quarantineTime how long a quarantined signature is refused (default 30s)
 */
public record QueryOfDeathConfig(boolean enabled, boolean withBody, int maxEntries, Duration rememberFor,
                                 Duration quarantineTime) {
    public static final QueryOfDeathConfig DEFAULT =
            new QueryOfDeathConfig(true, false, 10_000, Duration.ofSeconds(60), Duration.ofSeconds(30));
    public static final QueryOfDeathConfig OFF =
            new QueryOfDeathConfig(false, false, 10_000, Duration.ofSeconds(60), Duration.ofSeconds(30));
}
