package io.rollforward.proxy.exchange;

import io.netty.util.AsciiString;
import io.rollforward.config.RollforwardConfig;
import java.util.BitSet;
import java.util.Optional;

/**
 * What an {@link Exchange} needs of the config, precomputed once for the hot path.
 *
 * @param staggerNanos      delay of the backup copies
 * @param timeoutNanos      per replica, from its dispatch to its reply's head
 * @param failOnStatus      statuses that count as the replica failing this request
 * @param spliceWindow      bytes of a backup's reply held ahead of what the client received
 * @param servedByHeader    header naming the replica that served, or null
 * @param holdBackPoison    query-of-death guard
 * @param mirror            false: backups get a copy only when the master failed (pass-through)
 * @param replyIdleNanos    a body with no byte this long fails the replica
 * @param maxReplyNanos     a cap on the whole reply, 0 = none
 * @param forwarded         Via and X-Forwarded-* on the replica hop
 * @param divergenceRules   what counts as two replies differing
 */
public record ExchangeSettings(long staggerNanos, long timeoutNanos, BitSet failOnStatus,
                               long spliceWindow, AsciiString servedByHeader, boolean holdBackPoison,
                               boolean mirror, long replyIdleNanos, long maxReplyNanos, ForwardedHeaders forwarded,
                               DivergenceRules divergenceRules) {

    public static ExchangeSettings from(RollforwardConfig config) {
        BitSet fail = new BitSet(600);
        config.failOnStatus().forEach(fail::set);
        Optional<String> header = config.servedByHeader();
        return new ExchangeSettings(config.stagger().toNanos(), config.perRequestTimeout().toNanos(), fail,
                config.limits().spliceWindow(), header.map(AsciiString::of).orElse(null),
                config.holdBackPoison(), config.mirror(), config.replyIdleTimeout().toNanos(),
                config.maxReplyDuration().map(java.time.Duration::toNanos).orElse(0L), ForwardedHeaders.from(config),
                new DivergenceRules(config.divergence(), config.limits().maxCompareBody()));
    }

    boolean failsOn(int status) {
        return failOnStatus.get(status);
    }
}
