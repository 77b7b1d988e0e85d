package io.rollforward.proxy.ha;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Throw-away topology for the HA pair, in network namespaces made and removed by the test:
 *
 * <pre>
 *   client 10.213.60.10 --+
 *   proxy-a 10.213.60.1 --+-- bridge (own namespace) -- origins 10.213.60.20
 *   proxy-b 10.213.60.2 --+            VIP 10.213.60.100 (held by the ACTIVE proxy)
 *   proxy-a 10.213.61.1 ------ heartbeat veth ------ proxy-b 10.213.61.2
 * </pre>
 *
 * The UDP heartbeat runs on its own link, as on a real pair's dedicated heartbeat network, so a
 * test can cut it ({@link #cutHeartbeatLink()}) without touching client traffic. Every address
 * exists only inside these namespaces; {@link #close()} deletes them all (and the links with them).
 */
public final class HaNetwork implements AutoCloseable {
    static final String A_IP = "10.213.60.1";
    static final String B_IP = "10.213.60.2";
    static final String CLIENT_IP = "10.213.60.10";
    static final String ORIGIN_IP = "10.213.60.20";
    static final String VIP = "10.213.60.100";
    static final String A_HB = "10.213.61.1";
    static final String B_HB = "10.213.61.2";
    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
    private static final Pattern LINK_ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

    final String suffix = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    final String bridge = "rf-ha-br-" + suffix;
    final String client = "rf-ha-c-" + suffix;
    final String proxyA = "rf-ha-a-" + suffix;
    final String proxyB = "rf-ha-b-" + suffix;
    final String origins = "rf-ha-o-" + suffix;
    final String clientIf = "rfc" + suffix;
    final String aIf = "rfa" + suffix;
    final String bIf = "rfb" + suffix;
    final String originIf = "rfo" + suffix;
    final String aHbIf = "rfha" + suffix;
    final String bHbIf = "rfhb" + suffix;
    private final List<String> created = new ArrayList<>();

    public static void assumeRootWithNetns() {
        assumeTrue(isRoot(), "needs root to create network namespaces (effective uid is not 0)");
        assumeTrue(run("ip", "netns", "list").ok(), "needs iproute2 with 'ip netns'");
    }

    static HaNetwork create() {
        assumeRootWithNetns();
        HaNetwork net = new HaNetwork();
        try {
            net.setUp();
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    private void setUp() {
        for (String ns : List.of(bridge, client, proxyA, proxyB, origins)) {
            must("ip", "netns", "add", ns);
            created.add(ns);
            must("ip", "-n", ns, "link", "set", "lo", "up");
        }
        must("ip", "-n", bridge, "link", "add", "br0", "type", "bridge");
        must("ip", "-n", bridge, "link", "set", "br0", "up");
        attach(client, clientIf, CLIENT_IP);
        attach(proxyA, aIf, A_IP);
        attach(proxyB, bIf, B_IP);
        attach(origins, originIf, ORIGIN_IP);
        must("ip", "link", "add", aHbIf, "netns", proxyA, "type", "veth", "peer", "name", bHbIf, "netns", proxyB);
        must("ip", "-n", proxyA, "addr", "add", A_HB + "/24", "dev", aHbIf);
        must("ip", "-n", proxyB, "addr", "add", B_HB + "/24", "dev", bHbIf);
        must("ip", "-n", proxyA, "link", "set", aHbIf, "up");
        must("ip", "-n", proxyB, "link", "set", bHbIf, "up");
    }

    private void attach(String ns, String ifName, String ip) {
        String bridgeSide = ifName + "p";
        must("ip", "link", "add", ifName, "netns", ns, "type", "veth", "peer", "name", bridgeSide, "netns", bridge);
        must("ip", "-n", bridge, "link", "set", bridgeSide, "master", "br0");
        must("ip", "-n", bridge, "link", "set", bridgeSide, "up");
        must("ip", "-n", ns, "addr", "add", ip + "/24", "dev", ifName);
        must("ip", "-n", ns, "link", "set", ifName, "up");
    }

    /** Takes the dedicated heartbeat link down: UDP heartbeats stop both ways, client traffic flows. */
    void cutHeartbeatLink() {
        must("ip", "-n", proxyA, "link", "set", aHbIf, "down");
    }

    String mac(String ns, String ifName) {
        Matcher m = LINK_ETHER.matcher(must("ip", "-n", ns, "-o", "link", "show", "dev", ifName));
        if (!m.find()) {
            throw new IllegalStateException("no link/ether on " + ifName + " in " + ns);
        }
        return m.group(1).toLowerCase(Locale.ROOT);
    }

    String aMac() {
        return mac(proxyA, aIf);
    }

    String bMac() {
        return mac(proxyB, bIf);
    }

    /** A STALE entry that a gratuitous ARP may override (never a PERMANENT one from {@code ip neigh add}). */
    void seedClientNeighbour(String mac) {
        must("ip", "-n", client, "neigh", "replace", VIP, "lladdr", mac, "dev", clientIf, "nud", "stale");
    }

    /** The MAC the client maps the VIP to now, or "". */
    String clientNeighbourMac() {
        Matcher m = LLADDR.matcher(must("ip", "-n", client, "neigh", "show", VIP, "dev", clientIf));
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    }

    /** Whether {@code ns} carries the VIP now. */
    boolean holdsVip(String ns) {
        return must("ip", "-n", ns, "-o", "addr", "show").contains(" " + VIP + "/");
    }

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (int i = created.size() - 1; i >= 0; i--) {
            Result r = run("ip", "netns", "del", created.get(i));
            if (!r.ok()) {
                problems.add(created.get(i) + ": " + r.output());
            }
        }
        created.clear();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("could not delete test namespaces: " + problems);
        }
    }

    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    public static String must(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " -> exit " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    /** Runs a short command, output merged, killed after 10 s. */
    public static Result run(String... command) {
        Path out = null;
        try {
            out = Files.createTempFile("rollforward-ha-cmd", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
