package io.rollforward.config.internal;

import io.rollforward.config.ClusterConfig;
import io.rollforward.config.GarpConfig;
import io.rollforward.config.NotifyConfig;
import io.rollforward.config.SerialLink;
import io.rollforward.config.Timing;
import io.rollforward.config.UdpLink;
import io.rollforward.config.VipConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads {@code cluster}: the HA pair of proxies, its heartbeat links (UDP as ha.cf's
 * ucast/bcast/mcast, optional serial), its timing, the VIP and its gratuitous ARP settings
 * (after keepalived's garp_master_*), and role-change commands.
 */
final class ClusterReader {
    private static final Path NO_PATH = Path.of("");
    private static final ScalarType<UdpLink.Mode> UDP_MODE = ScalarType.lowerCaseEnum("ucast, bcast or mcast", UdpLink.Mode.class);

    private ClusterReader() {
    }

    static ClusterConfig read(Section cluster, Path baseDir) {
        String node = cluster.required("node", ScalarType.NAME).orElse("?");
        String peer = cluster.required("peer", ScalarType.NAME).orElse("?");
        if (cluster.ok("node")) {
            cluster.rule("peer", !peer.equals(node), "a name other than node " + node);
        }
        Path keyFile = cluster.required("key-file", ScalarType.file(baseDir)).orElse(NO_PATH);
        Timing timing = TimingReader.read(cluster);
        UdpLink udp = cluster.section("udp", "a UDP link: {mode: ucast, peers: [192.0.2.2]}")
                .map(ClusterReader::udp).orElse(null);
        if (udp == null) {
            if (!cluster.has("udp")) {
                cluster.missing("udp", "a UDP link: {mode: ucast, peers: [192.0.2.2]}");
            }
            udp = UdpLink.ucast(UdpLink.DEFAULT_PORT);
        }
        Optional<SerialLink> serial = cluster.section("serial", "a serial link: {device: /dev/ttyS1, baud: 19200}")
                .map(ClusterReader::serial);
        Optional<VipConfig> vip = cluster.section("vip", "a VIP: {address: 192.0.2.100/24, interface: eth0}")
                .map(ClusterReader::vip);
        // Both nodes of a pair must agree on who is preferred, or a healed split brain never
        // resolves: the default is the name that sorts first, the same on both sides.
        String preferred = cluster.get("preferred", ScalarType.NAME,
                node != null && peer != null && peer.compareTo(node) < 0 ? peer : node);
        if (cluster.ok("node") && cluster.ok("peer")) {
            cluster.rule("preferred", preferred.equals(node) || preferred.equals(peer),
                    "node " + node + " or peer " + peer);
        }
        boolean autoFailback = cluster.get("auto-failback", ScalarType.BOOLEAN, false);
        List<String> pingNodes = cluster.list("ping-nodes", ScalarType.HOST).orElse(List.of());
        NotifyConfig notify = cluster.section("notify", "commands: {active: [argv...], standby: [argv...]}")
                .map(ClusterReader::notify).orElse(NotifyConfig.NONE);
        cluster.finish();
        return new ClusterConfig(node, peer, udp, serial, timing, keyFile, vip, preferred, autoFailback,
                pingNodes, notify);
    }

    private static UdpLink udp(Section udp) {
        UdpLink.Mode mode = udp.get("mode", UDP_MODE, UdpLink.Mode.UCAST);
        String modeText = mode.name().toLowerCase(Locale.ROOT);
        List<String> peers = udp.list("peers", ScalarType.HOST).orElse(List.of());
        Optional<String> group = udp.optional("group", ScalarType.IP_ADDRESS);
        group.ifPresent(g -> udp.rule("group", IpLiteral.parse(g).map(a -> a.isMulticastAddress()).orElse(false),
                "a multicast address, 224.0.0.0/4 or ff00::/8"));
        int ttl = udp.get("ttl", ScalarType.INTEGER, 1);
        udp.rule("ttl", ttl >= 0 && ttl <= 255, "0..255");
        int port = udp.get("port", ScalarType.PORT, UdpLink.DEFAULT_PORT);
        String bind = udp.get("bind", ScalarType.IP_ADDRESS, "0.0.0.0");
        Optional<String> iface = udp.optional("interface", ScalarType.NAME);
        if (udp.ok("mode") && udp.ok("peers")) {
            // ha.cf: "ucast dev peer-ip" names the peer; "bcast" goes to broadcast addresses.
            if (mode != UdpLink.Mode.MCAST) {
                String what = mode == UdpLink.Mode.UCAST ? "the peer's address" : "a broadcast address";
                if (!udp.has("peers")) {
                    udp.missing("peers", "a list with " + what + ", for mode " + modeText);
                } else if (udp.isEmptyList("peers")) {
                    udp.rule("peers", false, "at least one entry, " + what + ", for mode " + modeText);
                }
            }
            if (mode == UdpLink.Mode.MCAST && group.isEmpty() && !udp.has("group")) {
                udp.missing("group", "a multicast group address, for mode mcast");
            }
        }
        udp.finish();
        return new UdpLink(mode, peers, group, ttl, port, bind, iface);
    }

    private static SerialLink serial(Section serial) {
        String device = serial.required("device", ScalarType.STRING).orElse("");
        int baud = serial.atLeast("baud", 1, SerialLink.DEFAULT_BAUD);
        serial.finish();
        return new SerialLink(device, baud);
    }

    /** A VIP mapping: {@code address}, {@code interface}, {@code garp}; also each of the ring's {@code vips}. */
    static VipConfig vip(Section vip) {
        Optional<VipAddress> address = vip.required("address", VipAddress.TYPE);
        String iface = vip.required("interface", ScalarType.NAME).orElse("");
        GarpConfig garp = vip.section("garp", "announcement settings: {count: 5, interval: 200ms}")
                .map(ClusterReader::garp).orElse(GarpConfig.DEFAULT);
        vip.finish();
        return new VipConfig(address.map(VipAddress::address).orElse(""),
                address.map(VipAddress::prefix).orElse(0), iface, garp);
    }

    private static GarpConfig garp(Section garp) {
        GarpConfig d = GarpConfig.DEFAULT;
        int count = garp.atLeast("count", 1, d.count());
        Duration interval = garp.positive("interval", d.interval());
        Duration secondBurstDelay = garp.duration("second-burst-delay", d.secondBurstDelay());
        Duration refresh = garp.duration("refresh", d.refresh());
        garp.finish();
        return new GarpConfig(count, interval, secondBurstDelay, refresh);
    }

    private static NotifyConfig notify(Section notify) {
        List<String> active = Commands.read(notify, "active", false);
        List<String> standby = Commands.read(notify, "standby", false);
        List<String> leaving = Commands.read(notify, "leaving", false);
        Duration timeout = notify.positive("timeout", NotifyConfig.NONE.timeout());
        notify.finish();
        return new NotifyConfig(active, standby, leaving, timeout);
    }
}
