package io.rollforward.config;

import java.time.Duration;

/**
 * Heartbeat timing with Linux-HA heartbeat's meaning (ha.cf): send every {@code keepalive};
 * a heartbeat later than {@code warntime} is logged and counted; silence for {@code deadtime}
 * declares the sender dead; right after start-up {@code initdead} is used instead of deadtime.
 * Valid when keepalive &lt; warntime &lt; deadtime &lt;= initdead.
 *
 * <p>Default: keepalive 1s, warntime 5s, deadtime 10s, initdead 30s.
 */
public record Timing(Duration keepalive, Duration warntime, Duration deadtime, Duration initdead) {
    public static final Timing DEFAULT = new Timing(
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));
}
