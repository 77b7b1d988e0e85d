package io.rollforward.proxy.ha;

import io.rollforward.proxy.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HA pair end to end: two proxies ({@code rollforward run}) as child JVMs in their own
 * namespaces, origins in a third, a client in a fourth, all on a bridge (see {@link HaNetwork}).
 * Heartbeat timing keepalive 50ms / warntime 100ms / deadtime 250ms / initdead 1s.
 *
 * <p>Proxy-a's replicas are origin ports 8081/8082, proxy-b's 8083/8084 (same origins process),
 * so every reply says which proxy served it. Timing figures are printed; the assertions are
 * generous functional bounds (timing goals belong in bench/).
 */
class HaPairNetnsTest {
    private static final int FRONT_PORT = 8080;
    private static final Duration START = Duration.ofSeconds(30);
    private static final String TOKEN = "ha-test-token-" + ThreadLocalRandom.current().nextLong(1L << 40);
    private static HaNetwork net;
    private static ChildProcess originProcess;
    @TempDir
    static Path dir;
    private final List<ChildProcess> children = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void network() throws IOException {
        net = HaNetwork.create();
        originProcess = ChildProcess.java("origins", net.origins, dir, OriginMain.class.getName(),
                HaNetwork.ORIGIN_IP, "8081", "8082", "8083", "8084");
        originProcess.awaitLog("origins ready", START);
        Path key = dir.resolve("cluster.key");
        Files.writeString(key, "ha pair test key " + ThreadLocalRandom.current().nextLong() + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path token = dir.resolve("admin.token");
        Files.writeString(token, TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
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
    void stopChildren() throws InterruptedException {
        timer.shutdownNow();
        for (ChildProcess c : children) {
            c.close();
        }
        if (net != null) {
            NetnsBridge.run("ip", "-n", net.proxyA, "link", "set", net.aHbIf, "up");
        }
    }

    @Test
    void killedActiveIsReplacedByTheStandbyWithinDeadtimeAndArp() throws Exception {
        List<Long> takeovers = new ArrayList<>();
        for (int run = 1; run <= 5; run++) {
            ChildProcess a = startA(false, Optional.empty());
            ChildProcess b = startB(false, Optional.empty());
            net.seedClientNeighbour(net.aMac());
            if (run == 1) {
                loadPhaseKeepsTheStandbyStandby(a, b);
            }
            ChildProcess probe = probe(1500, 5, 300, 1);
            ProbeRequests.awaitOk(probe, "8081|8082", 0, 20, Duration.ofSeconds(10));
            long delay = ThreadLocalRandom.current().nextLong(0, 51);
            long killedAt = timer.schedule(() -> {
                long at = System.currentTimeMillis();
                a.process.destroyForcibly();
                return at;
            }, delay, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);

            List<ProbeRequests.Request> after = ProbeRequests.awaitOk(probe, "8083|8084", killedAt, 1, Duration.ofSeconds(10));
            ProbeRequests.Request first = after.get(0);
            long takeover = first.end() - killedAt;
            takeovers.add(takeover);
            long failed = ProbeRequests.of(probe).stream().filter(r -> !r.ok() && r.end() > killedAt && r.start() < first.start()).count();
            System.out.printf("HA takeover run %d: kill after a random %d ms (random phase of the 50 ms keepalive), first reply through"
                    + " proxy-b after %d ms, %d failed requests in between%n", run, delay, takeover, failed);
            b.awaitLog("HA role STANDBY -> ACTIVE: proxy-a is dead on every link", Duration.ofSeconds(5));
            assertThat(net.clientNeighbourMac()).as("client's neighbour entry for the VIP").isEqualTo(net.bMac());
            assertThat(takeover).as("takeover ms").isLessThan(2000);
            if (run == 1) {
                String status = NetnsBridge.must("ip", "netns", "exec", net.proxyB, "curl", "-s", "-m", "2",
                        "http://127.0.0.1:9901/status");
                assertThat(status).containsPattern("\"role\"\\s*:\\s*\"active\"")
                        .containsPattern("\"vip_owner\"\\s*:\\s*\"proxy-b\"");
                String metrics = NetnsBridge.must("ip", "netns", "exec", net.proxyB, "curl", "-s", "-m", "2",
                        "http://127.0.0.1:9901/metrics");
                assertThat(metrics).contains("rollforward_vip_owned 1.0")
                        .contains("rollforward_role{role=\"active\"} 1.0")
                        .contains("rollforward_heartbeat_link_up{link=\"udp\",peer=\"proxy-a\"} 0.0");
            }
            ProbeRequests.stop(probe);
            b.kill();
            a.kill();
        }
        List<Long> sorted = takeovers.stream().sorted().toList();
        System.out.printf("HA takeover after kill -9 (deadtime 250 ms), %d runs: %s ms; median %d ms%n",
                sorted.size(), takeovers, sorted.get(sorted.size() / 2));
    }

    /** While proxy-a serves a burst from several clients, proxy-b must not take over. */
    private void loadPhaseKeepsTheStandbyStandby(ChildProcess a, ChildProcess b) throws Exception {
        ChildProcess load = probe(800, 1, 1000, 4);
        load.process.waitFor(60, TimeUnit.SECONDS);
        List<ProbeRequests.Request> served = ProbeRequests.of(load);
        long ok = served.stream().filter(ProbeRequests.Request::ok).count();
        long span = served.isEmpty() ? 0 : served.get(served.size() - 1).end() - served.get(0).start();
        System.out.printf("HA load phase: %d of %d requests ok in %d ms through proxy-a; proxy-b stayed %s%n",
                ok, served.size(), span, b.logged("-> ACTIVE") ? "NOT STANDBY" : "STANDBY");
        assertThat(ok).isGreaterThan(served.size() * 9L / 10);
        assertThat(b.text()).as("proxy-b's log:%n%s", b.tail()).doesNotContain("-> ACTIVE");
        assertThat(a.text()).as("proxy-a's log:%n%s", a.tail()).doesNotContain("ACTIVE -> STANDBY");
    }

    @Test
    void gracefulStopHandsOverWithAtMostOneFailedRequest() throws Exception {
        ChildProcess a = startA(false, Optional.empty());
        ChildProcess b = startB(false, Optional.empty());
        net.seedClientNeighbour(net.aMac());
        // 1.5 s per request: a SYN lost while the VIP moves is retransmitted after 1 s (RFC 6298
        // initial RTO) and then reaches proxy-b; a shorter bound would count it as a failure.
        ChildProcess probe = probe(1500, 5, 1500, 1);
        ProbeRequests.awaitOk(probe, "8081|8082", 0, 20, Duration.ofSeconds(10));

        long termAt = System.currentTimeMillis();
        a.terminate();

        ProbeRequests.Request first = ProbeRequests.awaitOk(probe, "8083|8084", termAt, 1, Duration.ofSeconds(10)).get(0);
        long failed = ProbeRequests.of(probe).stream().filter(r -> !r.ok() && r.end() > termAt && r.start() < first.start()).count();
        b.awaitLog("HA role STANDBY -> ACTIVE: proxy-a is leaving", Duration.ofSeconds(5));
        long bActiveAt = logTime(b, "HA role STANDBY -> ACTIVE");
        System.out.printf("HA graceful handover: proxy-b ACTIVE %d ms after SIGTERM (deadtime 250 ms); first reply"
                + " through proxy-b %d ms after SIGTERM, %d failed requests%n", bActiveAt - termAt, first.end() - termAt, failed);
        assertThat(bActiveAt - termAt).as("ms from SIGTERM to proxy-b ACTIVE").isLessThan(2000);
        assertThat(failed).isLessThanOrEqualTo(1);
        assertThat(first.end() - termAt).isLessThan(2000);
        assertThat(a.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(a.text()).contains("HA role ACTIVE -> LEAVING");
        assertThat(net.holdsVip(net.proxyA)).isFalse();
        assertThat(net.clientNeighbourMac()).isEqualTo(net.bMac());
        ProbeRequests.stop(probe);
    }

    @Test
    void aLiveSerialLinkPreventsTakeoverWhenUdpIsCutAndLosingBothTakesOver() throws Exception {
        assumeTrue(NetnsBridge.run("socat", "-V").ok(), "needs socat for a PTY pair (apt-get install socat)");
        Path ttyA = dir.resolve("ttyA-" + System.nanoTime());
        Path ttyB = dir.resolve("ttyB-" + System.nanoTime());
        ChildProcess socat = ChildProcess.start("socat", dir, List.of("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + ttyA, "pty,raw,echo=0,link=" + ttyB));
        children.add(socat);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ttyA) && Files.exists(ttyB));
        ChildProcess a = startA(false, Optional.of(ttyA));
        ChildProcess b = startB(false, Optional.of(ttyB));
        b.awaitLog("peer proxy-a on serial: \\w+ -> ALIVE", START);

        net.cutHeartbeatLink();
        b.awaitLog("peer proxy-a on udp: \\w+ -> DEAD", Duration.ofSeconds(5));
        // Four deadtimes with UDP silent: serial alone keeps proxy-a alive in proxy-b's eyes.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> !b.logged("-> ACTIVE"));
        assertThat(net.holdsVip(net.proxyB)).isFalse();

        long cutAt = System.currentTimeMillis();
        socat.kill();
        b.awaitLog("HA role STANDBY -> ACTIVE: proxy-a is dead on every link", Duration.ofSeconds(5));
        System.out.printf("HA serial: proxy-b stayed STANDBY for 1 s with UDP cut; took over %d ms after the"
                + " serial line was cut too%n", System.currentTimeMillis() - cutAt);
        await().atMost(Duration.ofSeconds(5)).until(() -> net.holdsVip(net.proxyB));
    }

    @ParameterizedTest(name = "auto-failback {0}")
    @ValueSource(booleans = {true, false})
    void restartedPreferredNodeTakesTheVipBackOnlyWithAutoFailback(boolean autoFailback) throws Exception {
        ChildProcess a = startA(autoFailback, Optional.empty());
        ChildProcess b = startB(autoFailback, Optional.empty());
        net.seedClientNeighbour(net.aMac());
        a.kill();
        b.awaitLog("HA role STANDBY -> ACTIVE", Duration.ofSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> net.clientNeighbourMac().equals(net.bMac()));
        assertThat(net.holdsVip(net.proxyA)).as("kill -9 leaves the VIP on proxy-a's interface").isTrue();

        ChildProcess again = start("proxy-a2", net.proxyA, config("proxy-a", "proxy-b", HaNetwork.A_HB,
                HaNetwork.B_HB, net.aIf, autoFailback, Optional.empty(), 8081, 8082));
        again.awaitLog("Node proxy-b reports ACTIVE", START);
        assertThat(net.holdsVip(net.proxyA)).as("the restart removed the leftover VIP").isFalse();
        if (autoFailback) {
            again.awaitLog("HA role STANDBY -> ACTIVE", Duration.ofSeconds(10));
            b.awaitLog("HA role ACTIVE -> STANDBY: auto-failback", Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> net.clientNeighbourMac().equals(net.aMac()));
            assertThat(net.holdsVip(net.proxyB)).isFalse();
        } else {
            // Three initdeads: the returning proxy-a stays STANDBY, proxy-b keeps the VIP.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() ->
                    !again.logged("-> ACTIVE") && net.holdsVip(net.proxyB));
            assertThat(net.clientNeighbourMac()).isEqualTo(net.bMac());

            // The operator moves it back: POST /failover on the ACTIVE proxy-b, through the admin port.
            String refused = NetnsBridge.must("ip", "netns", "exec", net.proxyA, "curl", "-s", "-m", "5", "-X", "POST",
                    "-H", "Authorization: Bearer " + TOKEN, "http://127.0.0.1:9901/failover");
            assertThat(refused).contains("not ACTIVE");
            String handed = NetnsBridge.must("ip", "netns", "exec", net.proxyB, "curl", "-s", "-m", "5", "-X", "POST",
                    "-w", " %{http_code}", "-H", "Authorization: Bearer " + TOKEN, "http://127.0.0.1:9901/failover");
            assertThat(handed).contains("proxy-a is ACTIVE").endsWith(" 200");
            await().atMost(Duration.ofSeconds(5)).until(() -> net.clientNeighbourMac().equals(net.aMac()));
            assertThat(net.holdsVip(net.proxyA)).isTrue();
            assertThat(net.holdsVip(net.proxyB)).isFalse();
            // proxy-b stays STANDBY under the ACTIVE proxy-a.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> net.holdsVip(net.proxyA));
        }
    }

    private ChildProcess startA(boolean autoFailback, Optional<Path> serial) throws IOException {
        ChildProcess a = start("proxy-a", net.proxyA, config("proxy-a", "proxy-b", HaNetwork.A_HB, HaNetwork.B_HB,
                net.aIf, autoFailback, serial, 8081, 8082));
        a.awaitLog("HA role STANDBY -> ACTIVE", START);
        return a;
    }

    private ChildProcess startB(boolean autoFailback, Optional<Path> serial) throws IOException {
        ChildProcess b = start("proxy-b", net.proxyB, config("proxy-b", "proxy-a", HaNetwork.B_HB, HaNetwork.A_HB,
                net.bIf, autoFailback, serial, 8083, 8084));
        b.awaitLog("Node proxy-a reports ACTIVE", START);
        return b;
    }

    private ChildProcess start(String name, String ns, Path config) throws IOException {
        ChildProcess c = ChildProcess.java(name, ns, dir, true, Main.class.getName(), "run", "-c", config.toString());
        children.add(c);
        return c;
    }

    private static Path config(String node, String peer, String bind, String peerAddress, String iface,
                               boolean autoFailback, Optional<Path> serial, int web1, int web2) throws IOException {
        String yaml = """
                listen: %s:%d
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
                  node: %s
                  peer: %s
                  key-file: cluster.key
                  keepalive: 50ms
                  warntime: 100ms
                  deadtime: 250ms
                  initdead: 1s
                  udp:
                    mode: ucast
                    peers: [%s]
                    port: 694
                    bind: %s
                %s  vip:
                    address: %s/24
                    interface: %s
                    garp: {count: 5, interval: 50ms}
                  preferred: proxy-a
                  auto-failback: %s
                  ping-nodes: [%s]
                """.formatted(HaNetwork.VIP, FRONT_PORT, HaNetwork.ORIGIN_IP, web1, HaNetwork.ORIGIN_IP, web2,
                node, peer, peerAddress, bind,
                serial.map(p -> "  serial: {device: " + p + ", baud: 115200}\n").orElse(""),
                HaNetwork.VIP, iface, autoFailback, HaNetwork.ORIGIN_IP);
        Path file = dir.resolve(node + "-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private ChildProcess probe(int count, int gapMs, int timeoutMs, int workers) throws IOException {
        ChildProcess p = ChildProcess.java("probe", net.client, dir, ProbeClientMain.class.getName(),
                HaNetwork.VIP, String.valueOf(FRONT_PORT), String.valueOf(count), String.valueOf(gapMs),
                String.valueOf(timeoutMs), String.valueOf(workers));
        children.add(p);
        return p;
    }

    /** Wall-clock ms of the first log line matching {@code text} (logback's HH:mm:ss.SSS, today, local time). */
    private static long logTime(ChildProcess child, String text) {
        for (String line : child.text().split("\n")) {
            if (line.contains(text) && line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*")) {
                LocalTime t = LocalTime.parse(line.substring(0, 12));
                return LocalDate.now().atTime(t).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
            }
        }
        throw new AssertionError(child.name + " never logged " + text);
    }
}
