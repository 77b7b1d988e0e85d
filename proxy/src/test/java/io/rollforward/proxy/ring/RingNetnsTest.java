package io.rollforward.proxy.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.proxy.Main;
import io.rollforward.proxy.ha.ChildProcess;
import io.rollforward.proxy.ha.HaNetwork;
import io.rollforward.proxy.ha.OriginMain;
import io.rollforward.proxy.ha.ProbeClientMain;
import io.rollforward.proxy.ha.ProbeRequests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The N-way cluster end to end: four proxies ({@code rollforward run}, {@code cluster.mode:
 * ring}, failure-timeout 1s, failback auto after 1s) as child JVMs in their own namespaces, one
 * origins process and a client on a bridge ({@link RingNetwork}). Proxy-a's replicas are origin
 * ports 8081/8082, proxy-b's 8083/8084, proxy-c's 8085/8086, proxy-d's 8087/8088, so every reply
 * says which proxy served it. Timing figures are printed; assertions are generous functional
 * bounds (timing goals belong in bench/).
 */
class RingNetnsTest {
    private static final int FRONT_PORT = 8080;
    private static final Duration START = Duration.ofSeconds(60);
    private static final Pattern RPS = Pattern.compile(
            "\"proxy-b\"\\s*:\\s*\\{[^}]*\"requests_per_second\"\\s*:\\s*([0-9.]+)");
    private static RingNetwork net;
    private static ChildProcess originProcess;
    @TempDir
    static Path dir;
    private final Map<String, ChildProcess> nodes = new LinkedHashMap<>();
    private final List<ChildProcess> children = new ArrayList<>();
    private final List<String> heldTwice = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void network() throws IOException {
        net = RingNetwork.create();
        originProcess = ChildProcess.java("origins", net.origins, dir, OriginMain.class.getName(),
                RingNetwork.ORIGIN_IP, "8081", "8082", "8083", "8084", "8085", "8086", "8087", "8088");
        originProcess.awaitLog("origins ready", START);
        Path key = dir.resolve("cluster.key");
        Files.writeString(key, "ring test key " + ThreadLocalRandom.current().nextLong() + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterAll
    static void removeNetwork() throws InterruptedException {
        try {
            if (originProcess != null) {
                originProcess.close();
            }
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    @AfterEach
    void stopChildren(org.junit.jupiter.api.TestInfo test) throws InterruptedException, IOException {
        Path logs = Path.of("target", "ring-netns-logs");
        Files.createDirectories(logs);
        for (ChildProcess c : children) {
            c.close();
            // Kept for a failed run: the temp dir goes with the test.
            Files.copy(c.output, logs.resolve(test.getTestMethod().map(m -> m.getName()).orElse("test") + "-"
                    + c.name + "-" + children.indexOf(c) + ".log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        for (String node : RingNetwork.NODES) {
            net.restore(node);
            for (String home : RingNetwork.NODES) {
                net.forget(node, RingNetwork.vip(home), 24);
            }
            net.forget(node, RingNetwork.VIP6, 64);
        }
    }

    @Test
    void killedNodeIsAnsweredByTheLeastLoadedSurvivorAndFailsBack() throws Exception {
        startAll();
        String vipA = RingNetwork.vip("proxy-a");
        // proxy-b is busy: a bounded load on its own VIP. It sorts before proxy-c, so only its load keeps it from being chosen.
        ChildProcess load = probe(RingNetwork.vip("proxy-b"), 200000, 5, 1000, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> rpsOfB("proxy-c") > 5);
        List<Long> takeovers = new ArrayList<>();
        List<Long> failbacks = new ArrayList<>();
        for (int run = 1; run <= 5; run++) {
            net.seedClientNeighbour(vipA, net.mac("proxy-a"));
            net.seedClientNeighbour(RingNetwork.VIP6, net.mac("proxy-a"));
            ChildProcess probe = probe(vipA, 3000, 5, 300, 1);
            ProbeRequests.awaitOk(probe, "8081|8082", 0, 5, Duration.ofSeconds(30));
            long killedAt = System.currentTimeMillis();
            net.cut("proxy-a");
            nodes.get("proxy-a").kill();

            ProbeRequests.Request first = ProbeRequests.awaitOk(probe, "8085|8086", killedAt, 1, Duration.ofSeconds(30)).get(0);
            long takeover = first.end() - killedAt;
            takeovers.add(takeover);
            System.out.printf("ring takeover run %d: proxy-a cut and killed; first reply through proxy-c after %d ms"
                    + " (failure-timeout 1s)%n", run, takeover);
            assertThat(net.holders(vipA)).as("who holds %s", vipA).containsExactlyInAnyOrder("proxy-a", "proxy-c");
            assertThat(net.clientNeighbourMac(vipA)).as("client's neighbour entry").isEqualTo(net.mac("proxy-c"));
            // The IPv6 VIP moved with it: an unsolicited neighbour advertisement updated the client's entry.
            await().atMost(Duration.ofSeconds(5)).until(() -> net.clientNeighbourMac(RingNetwork.VIP6)
                    .equals(net.mac("proxy-c")));
            assertThat(takeover).as("takeover ms").isLessThan(8000);
            if (run == 1) {
                String metrics = admin("proxy-c", "/metrics");
                assertThat(metrics).contains("rollforward_ring_view_size 3.0").contains("rollforward_ring_quorum 1.0");
                assertThat(admin("proxy-c", "/status")).containsPattern("\"coordinator\"\\s*:\\s*\"proxy-[bcd]\"");
            }

            // proxy-a comes back (a reboot: its leftover address gone); failback after 1s, release first.
            net.forget("proxy-a", vipA, 24);
            net.forget("proxy-a", RingNetwork.VIP6, 64);
            net.restore("proxy-a");
            long restartAt = System.currentTimeMillis();
            nodes.put("proxy-a", start("proxy-a"));
            awaitHolders(vipA, "proxy-a", Duration.ofSeconds(60));
            awaitHolders(RingNetwork.VIP6, "proxy-a", Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> net.clientNeighbourMac(RingNetwork.VIP6)
                    .equals(net.mac("proxy-a")));
            ProbeRequests.Request back = ProbeRequests.awaitOk(probe, "8081|8082", restartAt, 1, Duration.ofSeconds(30)).get(0);
            failbacks.add(back.end() - restartAt);
            ProbeRequests.stop(probe);
        }
        ProbeRequests.stop(load);
        assertThat(heldTwice).as("a VIP on two live nodes at once").isEmpty();
        List<Long> sorted = takeovers.stream().sorted().toList();
        System.out.printf("ring takeover after link cut + kill -9 (failure-timeout 1s), %d runs: %s ms; median %d ms;"
                + " restart-to-failback %s ms%n", sorted.size(), takeovers, sorted.get(sorted.size() / 2), failbacks);
    }

    @Test
    void partitionThreeToOneKeepsQuorumSideServingAndMergesToOneHolderEach() throws Exception {
        startAll();
        String vipD = RingNetwork.vip("proxy-d");
        long cutAt = System.currentTimeMillis();
        net.cut("proxy-d");
        // The majority takes proxy-d's VIP; proxy-d alone (1 of 4) has no quorum and releases it.
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            List<String> holders = net.holders(vipD);
            return holders.size() == 1 && !holders.contains("proxy-d");
        });
        System.out.printf("ring partition 3|1: %s holds %s after %d ms; proxy-d released it%n",
                net.holders(vipD), vipD, System.currentTimeMillis() - cutAt);
        nodes.get("proxy-d").awaitLog("no quorum: releasing every VIP", Duration.ofSeconds(10));
        for (String home : List.of("proxy-a", "proxy-b", "proxy-c")) {
            awaitHolders(RingNetwork.vip(home), home, Duration.ofSeconds(20));
        }

        long healAt = System.currentTimeMillis();
        net.restore("proxy-d");
        awaitHolders(vipD, "proxy-d", Duration.ofSeconds(60));
        System.out.printf("ring merge: %s back on proxy-d %d ms after the link came back%n", vipD,
                System.currentTimeMillis() - healAt);
        for (String home : RingNetwork.NODES) {
            assertThat(net.holders(RingNetwork.vip(home))).as("holders of %s after the merge", home).containsExactly(home);
        }
        assertThat(heldTwice).isEmpty();
    }

    private void startAll() throws IOException {
        for (String node : RingNetwork.NODES) {
            nodes.put(node, start(node));
        }
        for (String node : RingNetwork.NODES) {
            awaitHolders(RingNetwork.vip(node), node, START);
        }
        awaitHolders(RingNetwork.VIP6, "proxy-a", START);
    }

    /** Until {@code node} alone holds {@code vip}; meanwhile records any moment two live nodes hold it. */
    private void awaitHolders(String vip, String node, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
                List<String> live = net.holders(vip).stream().filter(n -> nodes.get(n) != null
                        && nodes.get(n).process.isAlive()).toList();
                if (live.size() > 1) {
                    heldTwice.add(vip + " on " + live);
                }
                return live.equals(List.of(node));
            });
        } catch (ConditionTimeoutException e) {
            String threads = HaNetwork.run("jcmd", String.valueOf(nodes.get(node).process.pid()), "Thread.print").output();
            throw new AssertionError(vip + " not held by " + node + " alone within " + atMost + "; holders "
                    + net.holders(vip) + "; " + node + " log:\n" + nodes.get(node).tail() + "\nthreads:\n" + threads, e);
        }
    }

    private String logs() {
        return nodes.values().stream().map(c -> "--- " + c.name + "\n" + c.tail()).collect(Collectors.joining("\n"));
    }

    private double rpsOfB(String askedAt) {
        Matcher m = RPS.matcher(admin(askedAt, "/status"));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private String admin(String node, String path) {
        return HaNetwork.must("ip", "netns", "exec", net.ns(node), "curl", "-s", "-m", "2", "http://127.0.0.1:9901" + path);
    }

    private ChildProcess start(String node) throws IOException {
        ChildProcess c = ChildProcess.java(node, net.ns(node), dir, true, Main.class.getName(), "run", "-c",
                config(node).toString());
        children.add(c);
        return c;
    }

    private static Path config(String node) throws IOException {
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
                cluster:
                  mode: ring
                  node: %s
                  members:
                %s
                  key-file: cluster.key
                  failure-timeout: 1s
                  vips:
                %s
                  failback: auto
                  failback-delay: 1s
                  quorum: majority
                """.formatted(FRONT_PORT, RingNetwork.ORIGIN_IP, web1, RingNetwork.ORIGIN_IP, web1 + 1, node,
                members, vips);
        Path file = dir.resolve(node + "-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private ChildProcess probe(String vip, int count, int gapMs, int timeoutMs, int workers) throws IOException {
        ChildProcess p = ChildProcess.java("probe", net.client, dir, ProbeClientMain.class.getName(),
                vip, String.valueOf(FRONT_PORT), String.valueOf(count), String.valueOf(gapMs),
                String.valueOf(timeoutMs), String.valueOf(workers));
        children.add(p);
        return p;
    }

}
