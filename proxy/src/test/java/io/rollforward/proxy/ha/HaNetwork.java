package io.rollforward.proxy.ha;

import static io.rollforward.proxy.ha.NetnsBridge.must;

/**
 * Throw-away topology for the HA pair, in network namespaces made and removed by the test
 * ({@link NetnsBridge}, names {@code rfr16p...}):
 *
 * <pre>
 *   client 10.213.60.10 --+
 *   proxy-a 10.213.60.1 --+-- bridge (own namespace) -- origins 10.213.60.20
 *   proxy-b 10.213.60.2 --+            VIP 10.213.60.100 (held by the ACTIVE proxy)
 *   proxy-a 10.213.61.1 ------ heartbeat veth ------ proxy-b 10.213.61.2
 * </pre>
 *
 * The UDP heartbeat runs on its own link, as on a real pair's dedicated heartbeat network, so a
 * test can cut it ({@link #cutHeartbeatLink()}) without touching client traffic.
 */
public final class HaNetwork implements AutoCloseable {
    static final String A_IP = "10.213.60.1";
    static final String B_IP = "10.213.60.2";
    static final String CLIENT_IP = "10.213.60.10";
    static final String ORIGIN_IP = "10.213.60.20";
    static final String VIP = "10.213.60.100";
    static final String A_HB = "10.213.61.1";
    static final String B_HB = "10.213.61.2";

    private final NetnsBridge net;
    final String client;
    final String proxyA;
    final String proxyB;
    final String origins;
    final String clientIf;
    final String aIf;
    final String bIf;
    final String aHbIf;

    private HaNetwork(NetnsBridge net) {
        this.net = net;
        client = net.addNamespace("c");
        proxyA = net.addNamespace("a");
        proxyB = net.addNamespace("b");
        origins = net.addNamespace("o");
        clientIf = net.ifName("c");
        aIf = net.ifName("a");
        bIf = net.ifName("b");
        aHbIf = net.ifName("ha");
        net.attach(client, "c", clientIf, CLIENT_IP, null);
        net.attach(proxyA, "a", aIf, A_IP, null);
        net.attach(proxyB, "b", bIf, B_IP, null);
        net.attach(origins, "o", net.ifName("o"), ORIGIN_IP, null);
        net.link(proxyA, aHbIf, A_HB, proxyB, net.ifName("hb"), B_HB);
    }

    static HaNetwork create() {
        NetnsBridge bridge = NetnsBridge.create("rfr16p");
        try {
            return new HaNetwork(bridge);
        } catch (RuntimeException | Error e) {
            bridge.close();
            throw e;
        }
    }

    /** Takes the dedicated heartbeat link down: UDP heartbeats stop both ways, client traffic flows. */
    void cutHeartbeatLink() {
        must("ip", "-n", proxyA, "link", "set", aHbIf, "down");
    }

    String aMac() {
        return NetnsBridge.mac(proxyA, aIf);
    }

    String bMac() {
        return NetnsBridge.mac(proxyB, bIf);
    }

    /** A STALE entry that a gratuitous ARP may override. */
    void seedClientNeighbour(String mac) {
        NetnsBridge.seedNeighbour(client, clientIf, VIP, mac);
    }

    /** The MAC the client maps the VIP to now, or "". */
    String clientNeighbourMac() {
        return NetnsBridge.neighbourMac(client, clientIf, VIP);
    }

    /** Whether {@code ns} carries the VIP now. */
    boolean holdsVip(String ns) {
        return NetnsBridge.hasAddress(ns, VIP);
    }

    @Override
    public void close() {
        net.close();
    }
}
