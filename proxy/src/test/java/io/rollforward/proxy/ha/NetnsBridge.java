package io.rollforward.proxy.ha;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rollforward.process.Command;
import io.rollforward.process.CommandResult;
import io.rollforward.process.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The namespaces, bridge and veth links of a netns test, made and removed by the test: what the
 * pair's {@link HaNetwork} and the ring's {@code RingNetwork} share. Every name is
 * {@code PREFIX + tag + random suffix}, at most 15 characters (a Linux interface name), so runs
 * side by side and leftovers of a killed run never collide. The bridge lives in a namespace of
 * its own; every address exists only inside these namespaces. {@link #close()} deletes them all,
 * and the links with them.
 */
public final class NetnsBridge implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** Enough for a /metrics page or a thread dump. */
    private static final int OUTPUT_LIMIT = 4 << 20;
    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
    private static final Pattern LINK_ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

    private final String prefix;
    private final String suffix = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    private final List<String> created = new ArrayList<>();
    private final Set<String> onSecondBridge = new LinkedHashSet<>();
    private boolean secondBridge;
    /** The namespace holding the bridge {@code br0}. */
    public final String bridge;

    /** @param prefix at most 6 characters, so that prefix + 2-character tag + suffix + 1 fits 15 */
    private NetnsBridge(String prefix) {
        if (prefix.length() > 6) {
            throw new IllegalArgumentException("prefix: " + prefix + " (expected: at most 6 characters)");
        }
        this.prefix = prefix;
        this.bridge = prefix + "br-" + suffix;
    }

    /** Skips the calling test (with the reason) unless we are root and {@code ip netns} works. */
    public static void assumeRootWithNetns() {
        assumeTrue(isRoot(), "needs root to create network namespaces (effective uid is not 0)");
        assumeTrue(run("ip", "netns", "list").ok(), "needs iproute2 with 'ip netns'");
    }

    /** A bridge in a namespace of its own; skips the test without root. */
    public static NetnsBridge create(String prefix) {
        assumeRootWithNetns();
        NetnsBridge net = new NetnsBridge(prefix);
        try {
            net.namespace(net.bridge);
            must("ip", "-n", net.bridge, "link", "add", "br0", "type", "bridge");
            must("ip", "-n", net.bridge, "link", "set", "br0", "up");
            return net;
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    /** A new namespace {@code PREFIX + tag + "-" + suffix} with loopback up. */
    public String addNamespace(String tag) {
        return namespace(prefix + tag + "-" + suffix);
    }

    private String namespace(String ns) {
        must("ip", "netns", "add", ns);
        created.add(ns);
        must("ip", "-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** The interface name {@code PREFIX + tag + suffix} (tag at most 2 characters). */
    public String ifName(String tag) {
        return prefix + tag + suffix;
    }

    /**
     * A veth from {@code ns} to the bridge, called {@code inside} in {@code ns}, with an IPv4
     * address /24 and (unless null) an IPv6 one /64 without duplicate address detection.
     */
    public void attach(String ns, String tag, String inside, String ip, String ip6) {
        String ifName = ifName(tag);
        String bridgeSide = ifName + "p";
        must("ip", "link", "add", ifName, "netns", ns, "type", "veth", "peer", "name", bridgeSide, "netns", bridge);
        must("ip", "-n", bridge, "link", "set", bridgeSide, "master", "br0");
        must("ip", "-n", bridge, "link", "set", bridgeSide, "up");
        if (!inside.equals(ifName)) {
            must("ip", "-n", ns, "link", "set", ifName, "name", inside);
        }
        must("ip", "-n", ns, "addr", "add", ip + "/24", "dev", inside);
        if (ip6 != null) {
            must("ip", "-n", ns, "addr", "add", ip6 + "/64", "dev", inside, "nodad");
        }
        must("ip", "-n", ns, "link", "set", inside, "up");
    }

    /**
     * A network partition: the links attached with these tags move to a second bridge, so they
     * reach each other but nothing on the first one (and the other way round). Links stay up.
     */
    public void split(List<String> tags) {
        if (!secondBridge) {
            must("ip", "-n", bridge, "link", "add", "br1", "type", "bridge");
            must("ip", "-n", bridge, "link", "set", "br1", "up");
            secondBridge = true;
        }
        for (String tag : tags) {
            must("ip", "-n", bridge, "link", "set", ifName(tag) + "p", "master", "br1");
            onSecondBridge.add(tag);
        }
    }

    /** Ends {@link #split}: every link on the first bridge again. */
    public void join() {
        for (String tag : onSecondBridge) {
            must("ip", "-n", bridge, "link", "set", ifName(tag) + "p", "master", "br0");
        }
        onSecondBridge.clear();
    }

    /** A point-to-point veth between two namespaces, e.g. a pair's dedicated heartbeat link. */
    public void link(String nsA, String ifA, String ipA, String nsB, String ifB, String ipB) {
        must("ip", "link", "add", ifA, "netns", nsA, "type", "veth", "peer", "name", ifB, "netns", nsB);
        must("ip", "-n", nsA, "addr", "add", ipA + "/24", "dev", ifA);
        must("ip", "-n", nsB, "addr", "add", ipB + "/24", "dev", ifB);
        must("ip", "-n", nsA, "link", "set", ifA, "up");
        must("ip", "-n", nsB, "link", "set", ifB, "up");
    }

    public static String mac(String ns, String ifName) {
        Matcher m = LINK_ETHER.matcher(must("ip", "-n", ns, "-o", "link", "show", "dev", ifName));
        if (!m.find()) {
            throw new IllegalStateException("no link/ether on " + ifName + " in " + ns);
        }
        return m.group(1).toLowerCase(Locale.ROOT);
    }

    /** A STALE entry that an announcement may override (never a PERMANENT one from {@code ip neigh add}). */
    public static void seedNeighbour(String ns, String ifName, String address, String mac) {
        must("ip", "-n", ns, "neigh", "replace", address, "lladdr", mac, "dev", ifName, "nud", "stale");
    }

    /** The MAC {@code ns} maps {@code address} to now, or "". */
    public static String neighbourMac(String ns, String ifName, String address) {
        Matcher m = LLADDR.matcher(must("ip", "-n", ns, "neigh", "show", address, "dev", ifName));
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    }

    /** Whether {@code ns} carries {@code address} now. */
    public static boolean hasAddress(String ns, String address) {
        return must("ip", "-n", ns, "-o", "addr", "show").contains(" " + address + "/");
    }

    @Override
    public void close() {
        List<String> problems = new ArrayList<>();
        for (int i = created.size() - 1; i >= 0; i--) {
            CommandResult r = run("ip", "netns", "del", created.get(i));
            if (!r.ok()) {
                problems.add(r.describe());
            }
        }
        created.clear();
        if (!problems.isEmpty()) {
            throw new IllegalStateException("could not delete test namespaces: " + problems);
        }
    }

    public static String must(String... command) {
        CommandResult r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(r.describe());
        }
        return r.output();
    }

    /** Runs a short command, output merged, killed (with its children) after 10 s. */
    public static CommandResult run(String... command) {
        return CommandRunner.run(Command.of(COMMAND_TIMEOUT, command).withOutputLimit(OUTPUT_LIMIT));
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
