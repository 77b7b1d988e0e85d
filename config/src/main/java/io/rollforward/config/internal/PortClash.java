package io.rollforward.config.internal;

import io.rollforward.config.HostPort;

import java.util.Set;

/**
 * Whether two sockets of the same protocol would fight over one port: same port, and the same
 * address or either one the wildcard. Caught at load time because at run time it is an
 * "address already in use" from one of two places, after the other has started.
 */
final class PortClash {
    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "0:0:0:0:0:0:0:0");

    private PortClash() {
    }

    static boolean between(HostPort a, HostPort b) {
        if (a.port() == 0 || a.port() != b.port()) {
            return false; // port 0: the kernel picks a free one for each
        }
        return a.host().equals(b.host()) || WILDCARDS.contains(a.host()) || WILDCARDS.contains(b.host());
    }
}
