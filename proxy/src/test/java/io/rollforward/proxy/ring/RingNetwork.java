package io.rollforward.proxy.ring;

import static io.rollforward.proxy.ha.NetnsBridge.must;
import static io.rollforward.proxy.ha.NetnsBridge.run;

import io.rollforward.proxy.ha.NetnsBridge;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Throw-away topology for the N-way cluster, in network namespaces made and removed by the test
 * ({@link NetnsBridge}, names {@code rfr16r...}):
 * <pre>
 *   client  10.216.16.10 / fd16::10 --+
 *   proxy-a 10.216.16.1  / fd16::1  --+
 *   proxy-b 10.216.16.2  / fd16::2  --+-- bridge (own namespace) -- origins 10.216.16.20
 *   proxy-c 10.216.16.3  / fd16::3  --+
 *   proxy-d 10.216.16.4  / fd16::4  --+   VIPs 10.216.16.101..104 (homes a..d), fd16::101 (home a)
 * </pre>
 * Each proxy's interface is called {@code eth0} inside its namespace, so every member's config
 * lists the same VIPs. Every address exists only inside these namespaces.
 */
final class RingNetwork implements AutoCloseable {
    static final List<String> NODES = List.of("proxy-a", "proxy-b", "proxy-c", "proxy-d");
    static final String CLIENT_IP = "10.216.16.10";
    static final String CLIENT_IP6 = "fd16::10";
    static final String ORIGIN_IP = "10.216.16.20";
    static final String IFACE = "eth0";
    /** proxy-a's second VIP, an IPv6 one: moved with unsolicited neighbour advertisements. */
    static final String VIP6 = "fd16::101";

    private final NetnsBridge net;
    final String client;
    final String origins;
    final String clientIf;
    final Map<String, String> namespaces = new LinkedHashMap<>();

    private RingNetwork(NetnsBridge net) {
        this.net = net;
        client = net.addNamespace("cl");
        origins = net.addNamespace("o");
        clientIf = net.ifName("k");
        net.attach(client, "k", clientIf, CLIENT_IP, CLIENT_IP6);
        net.attach(origins, "o", net.ifName("o"), ORIGIN_IP, null);
        for (String node : NODES) {
            String tag = tag(node);
            namespaces.put(node, net.addNamespace(tag));
            net.attach(namespaces.get(node), tag, IFACE, ip(node), ip6(node));
        }
    }

    static RingNetwork create() {
        NetnsBridge bridge = NetnsBridge.create("rfr16r");
        try {
            return new RingNetwork(bridge);
        } catch (RuntimeException | Error e) {
            bridge.close();
            throw e;
        }
    }

    static String ip(String node) {
        return "10.216.16." + (NODES.indexOf(node) + 1);
    }

    static String ip6(String node) {
        return "fd16::" + (NODES.indexOf(node) + 1);
    }

    static String vip(String home) {
        return "10.216.16." + (101 + NODES.indexOf(home));
    }

    String ns(String node) {
        return namespaces.get(node);
    }

    /** The node's link down (a cable pulled): nothing in or out, the process keeps running. */
    void cut(String node) {
        must("ip", "-n", ns(node), "link", "set", IFACE, "down");
    }

    void restore(String node) {
        must("ip", "-n", ns(node), "link", "set", IFACE, "up");
    }

    /** A partition: {@code side} reaches only itself; the other nodes, the client and the origins stay together. */
    void partition(List<String> side) {
        net.split(side.stream().map(RingNetwork::tag).toList());
    }

    /** Ends {@link #partition}. */
    void heal() {
        net.join();
    }

    private static String tag(String node) {
        return node.substring(node.length() - 1);
    }

    /** Removes an address a killed node left on its interface, as its reboot would. */
    void forget(String node, String address, int prefix) {
        run("ip", "-n", ns(node), "addr", "del", address + "/" + prefix, "dev", IFACE);
    }

    String mac(String node) {
        return NetnsBridge.mac(ns(node), IFACE);
    }

    /** A STALE entry that an announcement may override (never a PERMANENT one). */
    void seedClientNeighbour(String address, String mac) {
        NetnsBridge.seedNeighbour(client, clientIf, address, mac);
    }

    /** The MAC the client maps {@code address} to now, or "". */
    String clientNeighbourMac(String address) {
        return NetnsBridge.neighbourMac(client, clientIf, address);
    }

    /** The nodes whose namespace carries {@code address} now. */
    List<String> holders(String address) {
        List<String> holders = new ArrayList<>();
        for (String node : NODES) {
            if (NetnsBridge.hasAddress(ns(node), address)) {
                holders.add(node);
            }
        }
        return holders;
    }

    /** Which of {@code addresses} some node carries now: one listing per node, however many addresses. */
    List<String> held(List<String> addresses) {
        List<String> held = new ArrayList<>();
        for (String node : NODES) {
            String listing = must("ip", "-n", ns(node), "-o", "addr", "show");
            addresses.stream().filter(a -> listing.contains(" " + a + "/") && !held.contains(a)).forEach(held::add);
        }
        return held;
    }

    @Override
    public void close() {
        net.close();
    }
}
