package io.rollforward.proxy.ring;

import static org.awaitility.Awaitility.await;

import io.rollforward.proxy.Main;
import io.rollforward.proxy.ha.ChildProcess;
import io.rollforward.proxy.ha.NetnsBridge;
import io.rollforward.proxy.ha.OriginMain;
import io.rollforward.proxy.ha.ProbeClientMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the ring's namespace tests share: the {@link RingNetwork}, one origins process, the
 * cluster key and admin token, and per test the four proxies ({@code rollforward run}, {@code
 * cluster.mode: ring}, failure-timeout 1s, failback-delay 1s) as child JVMs at nice -10. Proxy-a's
 * replicas are origin ports 8081/8082, proxy-b's 8083/8084, proxy-c's 8085/8086, proxy-d's
 * 8087/8088, so every reply says which proxy served it. Records any moment two live nodes hold
 * one VIP ({@link #heldTwice}).
 */
final class RingCluster implements AutoCloseable {
    static final int FRONT_PORT = 8080;
    static final Duration START = Duration.ofSeconds(60);
    static final String TOKEN = "ring-test-token-" + ThreadLocalRandom.current().nextLong(1L << 40);

    /** The per-test settings that differ between scenarios. */
    record Settings(String failback, String quorum) {
        static final Settings AUTO = new Settings("auto", "majority");
    }

    final RingNetwork net;
    private final Path dir;
    private final ChildProcess originProcess;
    final Map<String, ChildProcess> nodes = new LinkedHashMap<>();
    private final List<ChildProcess> children = new ArrayList<>();
    final List<String> heldTwice = new CopyOnWriteArrayList<>();
    private Settings settings = Settings.AUTO;

    private RingCluster(RingNetwork net, Path dir) throws IOException {
        this.net = net;
        this.dir = dir;
        originProcess = ChildProcess.java("origins", net.origins, dir, OriginMain.class.getName(),
                RingNetwork.ORIGIN_IP, "8081", "8082", "8083", "8084", "8085", "8086", "8087", "8088");
        originProcess.awaitLog("origins ready", START);
        secret(dir.resolve("cluster.key"), "ring test key " + ThreadLocalRandom.current().nextLong());
        secret(dir.resolve("admin.token"), TOKEN);
    }

    /** The network and the origins; skips the calling test without root. */
    static RingCluster create(Path dir) throws IOException {
        RingNetwork net = RingNetwork.create();
        try {
            return new RingCluster(net, dir);
        } catch (IOException | RuntimeException | Error e) {
            net.close();
            throw e;
        }
    }

    /** Starts the four proxies with {@code settings} and waits until each holds its home VIPs. */
    void startAll(Settings settings) throws IOException {
        this.settings = settings;
        for (String node : RingNetwork.NODES) {
            nodes.put(node, start(node));
        }
        for (String node : RingNetwork.NODES) {
            awaitHolders(RingNetwork.vip(node), node, START);
        }
        awaitHolders(RingNetwork.VIP6, "proxy-a", START);
    }

    ChildProcess start(String node) throws IOException {
        ChildProcess c = ChildProcess.java(node, net.ns(node), dir, true, Main.class.getName(), "run", "-c",
                config(node).toString());
        children.add(c);
        return c;
    }

    /** A node that died comes back as after a reboot: its leftover addresses gone, link up, process started. */
    void restart(String node) throws IOException {
        for (String home : RingNetwork.NODES) {
            net.forget(node, RingNetwork.vip(home), 24);
        }
        net.forget(node, RingNetwork.VIP6, 64);
        net.restore(node);
        nodes.put(node, start(node));
    }

    /** The live nodes (process running) that hold {@code vip} now. */
    List<String> liveHolders(String vip) {
        return net.holders(vip).stream().filter(n -> nodes.get(n) != null && nodes.get(n).process.isAlive()).toList();
    }

    /**
     * Until {@code node} alone holds {@code vip}; meanwhile records any moment two live nodes hold
     * it. A sweep asks the nodes one after the other (tens of ms under load), so one sweep may see
     * the old holder before its release and the new one after its acquire: only members seen
     * holding in two sweeps in a row count (a VIP does not come and go within one sweep): they held
     * it at the same time.
     */
    void awaitHolders(String vip, String node, Duration atMost) {
        AtomicReference<List<String>> previous = new AtomicReference<>(List.of());
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
                List<String> live = liveHolders(vip);
                List<String> both = live.stream().filter(previous.get()::contains).toList();
                if (both.size() > 1) {
                    heldTwice.add(vip + " on " + both);
                }
                previous.set(live);
                return live.equals(List.of(node));
            });
        } catch (ConditionTimeoutException e) {
            String threads = NetnsBridge.run("jcmd", String.valueOf(nodes.get(node).process.pid()), "Thread.print").output();
            throw new AssertionError(vip + " not held by " + node + " alone within " + atMost + "; holders "
                    + net.holders(vip) + "; " + node + " log:\n" + nodes.get(node).tail() + "\nthreads:\n" + threads, e);
        }
    }

    /** Whether some node's log has {@code regex}. */
    boolean anyLogged(String regex) {
        return nodes.values().stream().anyMatch(c -> c.logged(regex));
    }

    String logs() {
        return nodes.values().stream().map(c -> "--- " + c.name + "\n" + c.tail()).collect(Collectors.joining("\n"));
    }

    String admin(String node, String path) {
        return NetnsBridge.must("ip", "netns", "exec", net.ns(node), "curl", "-s", "-m", "2", "http://127.0.0.1:9901" + path);
    }

    /** {@code POST path} on {@code node}'s admin port with the token; the body, a space, the status code. */
    String adminPost(String node, String path) {
        return NetnsBridge.must("ip", "netns", "exec", net.ns(node), "curl", "-s", "-m", "5", "-X", "POST",
                "-w", " %{http_code}", "-H", "Authorization: Bearer " + TOKEN, "http://127.0.0.1:9901" + path);
    }

    /** {@link ProbeClientMain} in the client namespace against {@code vip}. */
    ChildProcess probe(String vip, int count, int gapMs, int timeoutMs, int workers) throws IOException {
        ChildProcess p = ChildProcess.java("probe", net.client, dir, ProbeClientMain.class.getName(),
                vip, String.valueOf(FRONT_PORT), String.valueOf(count), String.valueOf(gapMs),
                String.valueOf(timeoutMs), String.valueOf(workers));
        children.add(p);
        return p;
    }

    /** After each test: stops its processes (logs kept under target/), links up, leftover VIPs gone. */
    void stopChildren(String testName) throws InterruptedException, IOException {
        Path logs = Path.of("target", "ring-netns-logs");
        Files.createDirectories(logs);
        for (ChildProcess c : children) {
            c.close();
            // Kept for a failed run: the temp dir goes with the test.
            Files.copy(c.output, logs.resolve(testName + "-" + c.name + "-" + children.indexOf(c) + ".log"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        children.clear();
        nodes.clear();
        heldTwice.clear();
        net.heal();
        for (String node : RingNetwork.NODES) {
            net.restore(node);
            for (String home : RingNetwork.NODES) {
                net.forget(node, RingNetwork.vip(home), 24);
            }
            net.forget(node, RingNetwork.VIP6, 64);
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            originProcess.close();
        } finally {
            net.close();
        }
    }

    private Path config(String node) throws IOException {
        int web1 = 8081 + 2 * RingNetwork.NODES.indexOf(node);
        String members = RingNetwork.NODES.stream()
                .map(n -> "    - {name: " + n + ", address: " + RingNetwork.ip(n) + ":7800}")
                .collect(Collectors.joining("\n"));
        String vips = RingNetwork.NODES.stream()
                .map(n -> "    - {address: " + RingNetwork.vip(n) + "/24, interface: " + RingNetwork.IFACE
                        + ", home: " + n + ", garp: {count: 5, interval: 50ms}}")
                .collect(Collectors.joining("\n")) + "\n    - {address: \"" + RingNetwork.VIP6 + "/64\", interface: "
                + RingNetwork.IFACE + ", home: proxy-a, garp: {count: 5, interval: 50ms}}";
        String yaml = """
                listen: 0.0.0.0:%d
                replicas:
                  - name: web1
                    url: http://%s:%d
                  - name: web2
                    url: http://%s:%d
                per-request-timeout: 2s
                admin:
                  listen: 127.0.0.1:9901
                  token-file: admin.token
                cluster:
                  mode: ring
                  node: %s
                  members:
                %s
                  key-file: cluster.key
                  failure-timeout: 1s
                  vips:
                %s
                  failback: %s
                  failback-delay: 1s
                  quorum: %s
                """.formatted(FRONT_PORT, RingNetwork.ORIGIN_IP, web1, RingNetwork.ORIGIN_IP, web1 + 1, node,
                members, vips, settings.failback(), settings.quorum());
        Path file = dir.resolve(node + "-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private static void secret(Path file, String text) throws IOException {
        Files.writeString(file, text + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
