package io.rollforward.config;

import java.util.List;
import java.util.Optional;

/**
 * A UDP heartbeat link, as ha.cf's {@code ucast}/{@code bcast}/{@code mcast} and {@code udpport}.
 *
 * @param mode      how heartbeats are addressed
 * @param peers     {@code ucast}: the peer addresses; {@code bcast}: the broadcast addresses
 * @param group     {@code mcast}: the group address
 * @param ttl       {@code mcast}: hop limit (default 1)
 * @param port      UDP port (default 694)
 * @param bind      local address to listen on (default 0.0.0.0)
 * @param iface     {@code mcast}/{@code bcast}: interface name, if any
 */
public record UdpLink(Mode mode, List<String> peers, Optional<String> group, int ttl, int port,
                      String bind, Optional<String> iface) {
    public enum Mode { UCAST, BCAST, MCAST }

    public static final int DEFAULT_PORT = 694;

    public UdpLink {
        peers = peers == null ? List.of() : List.copyOf(peers);
        group = group == null ? Optional.empty() : group;
        iface = iface == null ? Optional.empty() : iface;
        bind = bind == null ? "0.0.0.0" : bind;
    }

    public static UdpLink ucast(int port, String... peers) {
        return new UdpLink(Mode.UCAST, List.of(peers), Optional.empty(), 1, port, "0.0.0.0", Optional.empty());
    }
}
