package io.rollforward.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The HA pair of proxies: this node and its peer heartbeat each other over {@code udp} and,
 * optionally, {@code serial}; the ACTIVE node owns {@code vip}.
 *
 * @param node         this node's name
 * @param peer         the peer's name
 * @param udp          UDP link (required)
 * @param serial       serial link (optional): a live serial link keeps a UDP outage from
 *                     becoming split brain
 * @param timing       keepalive/warntime/deadtime/initdead
 * @param keyFile      shared HMAC key (authkeys), not world-readable
 * @param vip          the virtual IP, if any
 * @param preferred    the node that should be ACTIVE when both are up (default: whichever of
 *                     node and peer sorts first, so both nodes agree)
 * @param autoFailback a returning preferred node takes the VIP back (default false)
 * @param pingNodes    a node that reaches none of these does not take over (ipfail); empty = off
 * @param notifications role-change commands
 */
public record ClusterConfig(String node, String peer, UdpLink udp, Optional<SerialLink> serial,
                            Timing timing, Path keyFile, Optional<VipConfig> vip, String preferred,
                            boolean autoFailback, List<String> pingNodes, NotifyConfig notifications) {
    public ClusterConfig {
        serial = serial == null ? Optional.empty() : serial;
        vip = vip == null ? Optional.empty() : vip;
        pingNodes = pingNodes == null ? List.of() : List.copyOf(pingNodes);
        notifications = notifications == null ? NotifyConfig.NONE : notifications;
        // the same default on both nodes of the pair: the name that sorts first
        preferred = preferred == null ? (peer != null && node != null && peer.compareTo(node) < 0 ? peer : node) : preferred;
    }
}
