package io.rollforward.config;

import java.net.InetAddress;
import java.util.List;

/**
 * Whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} the proxy believes.
 *
 * @param trustedProxies peers (a TLS terminator, a load balancer in front) whose forwarded headers
 *                       are kept: the proxy appends the peer to their {@code X-Forwarded-For} and
 *                       passes their {@code X-Forwarded-Proto}. From any other peer both headers
 *                       are replaced: {@code X-Forwarded-For} is the peer's address and
 *                       {@code X-Forwarded-Proto} is {@code http} (default none)
 */
public record ForwardedConfig(List<CidrBlock> trustedProxies) {
    public static final ForwardedConfig DEFAULT = new ForwardedConfig(List.of());

    public ForwardedConfig {
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** Whether {@code peer} is one of the trusted proxies. */
    public boolean trusts(InetAddress peer) {
        for (CidrBlock block : trustedProxies) {
            if (block.contains(peer)) {
                return true;
            }
        }
        return false;
    }
}
