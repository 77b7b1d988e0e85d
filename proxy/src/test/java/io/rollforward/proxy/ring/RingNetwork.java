package io.rollforward.proxy.ring;

import static io.rollforward.proxy.ha.HaNetwork.must;
import static io.rollforward.proxy.ha.HaNetwork.run;

import io.rollforward.proxy.ha.HaNetwork;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Throw-away topology for the N-way cluster, in network namespaces made and removed by the test
 * (all named {@code rr16-...}):
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
    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
    private static final Pattern LINK_ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

    final String suffix = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    final String bridge = "rr16-br-" + suffix;
    final String client = "rr16-cl-" + suffix;
    final String origins = "rr16-o-" + suffix;
    final String clientIf = "rr16k" + suffix;
    final Map<String, String> namespaces = new LinkedHashMap<>();
    private final List<String> created = new ArrayList<>();

    static RingNetwork create() {
        HaNetwork.assumeRootWithNetns();
        RingNetwork net = new RingNetwork();
        try {
            net.setUp();
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    static String ip(String node) {
        return "10.216.16." + (NODES.indexOf(node) + 1);
    }

    static String ip6(String node) {
        return "fd16::" + (NODES.indexOf(node) + 1);
    }

    /** proxy-a's second VIP, an IPv6 one: moved with unsolicited neighbour advertisements. */
    static final String VIP6 = "fd16::101";

    static String vip(String home) {
        return "10.216.16." + (101 + NODES.indexOf(home));
    }

    private void setUp() {
        for (String node : NODES) {
            namespaces.put(node, "rr16-" + node.substring(node.length() - 1) + "-" + suffix);
        }
        List<String> all = new ArrayList<>(List.of(bridge, client, origins));
        all.addAll(namespaces.values());
        for (String ns : all) {
            must("ip", "netns", "add", ns);
            created.add(ns);
            must("ip", "-n", ns, "link", "set", "lo", "up");
        }
        must("ip", "-n", bridge, "link", "add", "br0", "type", "bridge");
        must("ip", "-n", bridge, "link", "set", "br0", "up");
        attach(client, clientIf, clientIf, CLIENT_IP, CLIENT_IP6);
        attach(origins, "rr16o" + suffix, "rr16o" + suffix, ORIGIN_IP, null);
        for (String node : NODES) {
            attach(namespaces.get(node), "rr16" + node.charAt(node.length() - 1) + suffix, IFACE, ip(node), ip6(node));
        }
    }

    private void attach(String ns, String ifName, String finalName, String ip, String ip6) {
        String bridgeSide = ifName + "p";
        must("ip", "link", "add", ifName, "netns", ns, "type", "veth", "peer", "name", bridgeSide, "netns", bridge);
        must("ip", "-n", bridge, "link", "set", bridgeSide, "master", "br0");
        must("ip", "-n", bridge, "link", "set", bridgeSide, "up");
        if (!finalName.equals(ifName)) {
            must("ip", "-n", ns, "link", "set", ifName, "name", finalName);
        }
        must("ip", "-n", ns, "addr", "add", ip + "/24", "dev", finalName);
        if (ip6 != null) {
            must("ip", "-n", ns, "addr", "add", ip6 + "/64", "dev", finalName, "nodad");
        }
        must("ip", "-n", ns, "link", "set", finalName, "up");
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

    /** Removes an address a killed node left on its interface, as its reboot would. */
    void forget(String node, String address, int prefix) {
        run("ip", "-n", ns(node), "addr", "del", address + "/" + prefix, "dev", IFACE);
    }

    String mac(String node) {
        Matcher m = LINK_ETHER.matcher(must("ip", "-n", ns(node), "-o", "link", "show", "dev", IFACE));
        if (!m.find()) {
            throw new IllegalStateException("no link/ether on " + IFACE + " in " + ns(node));
        }
        return m.group(1).toLowerCase(Locale.ROOT);
    }

    /** A STALE entry that an announcement may override (never a PERMANENT one). */
    void seedClientNeighbour(String address, String mac) {
        must("ip", "-n", client, "neigh", "replace", address, "lladdr", mac, "dev", clientIf, "nud", "stale");
    }

    /** The MAC the client maps {@code address} to now, or "". */
    String clientNeighbourMac(String address) {
        Matcher m = LLADDR.matcher(must("ip", "-n", client, "neigh", "show", address, "dev", clientIf));
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    }

    /** The nodes whose namespace carries {@code address} now. */
    List<String> holders(String address) {
        List<String> holders = new ArrayList<>();
        for (String node : NODES) {
            if (must("ip", "-n", ns(node), "-o", "addr", "show").contains(" " + address + "/")) {
                holders.add(node);
            }
        }
        return holders;
    }

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (int i = created.size() - 1; i >= 0; i--) {
            HaNetwork.Result r = run("ip", "netns", "del", created.get(i));
            if (!r.ok()) {
                problems.add(created.get(i) + ": " + r.output());
            }
        }
        created.clear();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("could not delete test namespaces: " + problems);
        }
    }
}
