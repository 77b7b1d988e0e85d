package io.rollforward.proxy.exchange;

import io.netty.util.AsciiString;
import io.rollforward.config.RollforwardConfig;
import java.util.BitSet;
import java.util.Optional;

/**
 * What an {@link Exchange} needs of the config, precomputed once for the hot path.
 *
 * @param staggerNanos      delay of the backup copies
 * @param timeoutNanos      per replica, from its dispatch to its full reply
 * @param failOnStatus      statuses that count as the replica failing this request
 * @param maxResponseBuffer bytes buffered per replica reply before it is streamed or dropped
 * @param servedByHeader    header naming the replica that served, or null
 * @param holdBackPoison    query-of-death guard
 * @param mirror            false: backups get a copy only when the master failed (pass-through)
 * @param divergenceRules   what counts as two replies differing
 */
public record ExchangeSettings(long staggerNanos, long timeoutNanos, BitSet failOnStatus,
                               long maxResponseBuffer, AsciiString servedByHeader, boolean holdBackPoison,
                               boolean mirror, DivergenceRules divergenceRules) {

    public static ExchangeSettings from(RollforwardConfig config) {
        BitSet fail = new BitSet(600);
        config.failOnStatus().forEach(fail::set);
        Optional<String> header = config.servedByHeader();
        return new ExchangeSettings(config.stagger().toNanos(), config.perRequestTimeout().toNanos(), fail,
                config.limits().maxResponseBuffer(), header.map(AsciiString::of).orElse(null),
                config.holdBackPoison(), config.mirror(),
                new DivergenceRules(config.divergence(), config.limits().maxCompareBody()));
    }

    boolean failsOn(int status) {
        return failOnStatus.get(status);
    }
}
