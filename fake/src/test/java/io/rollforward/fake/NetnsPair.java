package io.rollforward.fake;

import io.rollforward.process.Command;
import io.rollforward.process.CommandResult;
import io.rollforward.process.CommandRunner;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Test topology: two fresh network namespaces, "sender" and "observer", joined by a veth pair,
 * with addresses in 10.213.0.0/24 that exist only inside them. All test traffic stays there.
 * {@link #close()} deletes both namespaces (and with them the veth pair).
 */
final class NetnsPair implements AutoCloseable {
    static final String SENDER_IP = "10.213.0.1";
    static final String OBSERVER_IP = "10.213.0.2";
    static final String VIP = "10.213.0.100";
    static final String WRONG_MAC = "02:00:00:00:0b:ad";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern LLADDR = Pattern.compile("lladdr ([0-9a-f:]{17})");
    private static final Pattern LINK_ETHER = Pattern.compile("link/ether ([0-9a-f:]{17})");

    final String sender;
    final String observer;
    final String senderIf;
    final String observerIf;
    private final List<String> created = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();
    private final List<Path> files = new ArrayList<>();

    private NetnsPair() {
        String suffix = String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
        sender = "rf-fake-s-" + suffix;
        observer = "rf-fake-o-" + suffix;
        senderIf = "rfs" + suffix;
        observerIf = "rfo" + suffix;
    }

    /** Skips the calling test (with the reason) unless we are root and {@code ip netns} works. */
    static void assumeNetnsAvailable() {
        assumeTrue(isRoot(), "needs root to create network namespaces (uid is not 0)");
        CommandResult r = CommandRunner.run(Command.of(TIMEOUT, "ip", "netns", "list"));
        assumeTrue(r.ok(), "needs iproute2 with 'ip netns' (" + r.describe() + ")");
    }

    static NetnsPair create() {
        assumeNetnsAvailable();
        NetnsPair pair = new NetnsPair();
        try {
            pair.setUp();
            return pair;
        } catch (RuntimeException | Error e) {
            pair.close();
            throw e;
        }
    }

    private void setUp() {
        must("ip", "netns", "add", sender);
        created.add(sender);
        must("ip", "netns", "add", observer);
        created.add(observer);
        must("ip", "link", "add", senderIf, "netns", sender, "type", "veth", "peer", "name", observerIf, "netns", observer);
        must("ip", "-n", sender, "link", "set", "lo", "up");
        must("ip", "-n", observer, "link", "set", "lo", "up");
        must("ip", "-n", sender, "link", "set", senderIf, "up");
        must("ip", "-n", observer, "link", "set", observerIf, "up");
        must("ip", "-n", sender, "addr", "add", SENDER_IP + "/24", "dev", senderIf);
        must("ip", "-n", observer, "addr", "add", OBSERVER_IP + "/24", "dev", observerIf);
    }

    /** {@code ip netns exec NS}: the wrapper that runs a command inside a namespace. */
    static List<String> inNamespace(String ns) {
        return List.of("ip", "netns", "exec", ns);
    }

    CommandResult run(String... command) {
        return CommandRunner.run(Command.of(TIMEOUT, command));
    }

    String must(String... command) {
        CommandResult r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " -> exit " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }

    /** The sender side's MAC, as the observer should learn it for the VIP. */
    String senderMac() {
        Matcher m = LINK_ETHER.matcher(must("ip", "-n", sender, "-o", "link", "show", "dev", senderIf));
        if (!m.find()) {
            throw new IllegalStateException("no link/ether on " + senderIf);
        }
        return m.group(1);
    }

    /**
     * Puts a STALE entry for the VIP with a wrong MAC in the observer's neighbour table. A STALE
     * entry is one gratuitous ARP may override (a plain {@code ip neigh add} is PERMANENT and would
     * ignore it; with arp_accept=0 no entry would be created at all).
     */
    void seedObserverNeighbour(String ip, String mac) {
        must("ip", "-n", observer, "neigh", "replace", ip, "lladdr", mac, "dev", observerIf, "nud", "stale");
    }

    /** The MAC the observer currently maps the address to, or "" when it has none. */
    String observerNeighbourMac(String ip) {
        Matcher m = LLADDR.matcher(must("ip", "-n", observer, "neigh", "show", ip, "dev", observerIf));
        return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
    }

    /**
     * Starts a child JVM inside {@code ns} running {@code mainClass} from this test classpath, so
     * pcap opens the namespace's interfaces. Output (merged) goes to the returned handle's file.
     */
    Child startJava(String ns, Class<?> mainClass, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(inNamespace(ns));
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("rollforward-child", ".out");
        files.add(out);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        Process process = pb.start();
        children.add(process);
        return new Child(process, out);
    }

    record Child(Process process, Path output) {
        String text() {
            try {
                return Files.readString(output, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }

    @Override
    public void close() {
        for (Process child : children) {
            child.destroyForcibly();
        }
        List<String> problems = new ArrayList<>();
        for (String ns : created) {
            CommandResult r = run("ip", "netns", "del", ns);
            if (!r.ok()) {
                problems.add(ns + ": " + r.output());
            }
        }
        created.clear();
        for (Path file : files) {
            File f = file.toFile();
            if (!f.delete()) {
                f.deleteOnExit();
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("could not delete test namespaces: " + problems);
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
