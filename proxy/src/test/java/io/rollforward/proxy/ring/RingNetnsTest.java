package io.rollforward.proxy.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.proxy.ha.ChildProcess;
import io.rollforward.proxy.ha.ProbeRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The N-way cluster end to end ({@link RingCluster}: four proxies, failure-timeout 1s, failback
 * auto after 1s, quorum majority): a killed node's VIP to the least-loaded survivor and back, a
 * 3|1 partition and its merge. Timing figures are printed; assertions are generous functional
 * bounds (timing goals belong in bench/).
 */
class RingNetnsTest {
    private static final Pattern RPS = Pattern.compile(
            "\"proxy-b\"\\s*:\\s*\\{[^}]*\"requests_per_second\"\\s*:\\s*([0-9.]+)");
    @RegisterExtension
    static final RingClusterExtension ring = new RingClusterExtension();
    private RingCluster cluster;
    private RingNetwork net;

    @BeforeEach
    void cluster() {
        cluster = ring.cluster();
        net = cluster.net;
    }

    @Test
    void killedNodeIsAnsweredByTheLeastLoadedSurvivorAndFailsBack() throws Exception {
        cluster.startAll(RingCluster.Settings.AUTO);
        String vipA = RingNetwork.vip("proxy-a");
        // proxy-b is busy: a bounded load on its own VIP. It sorts before proxy-c, so only its load keeps it from being chosen.
        ChildProcess load = cluster.probe(RingNetwork.vip("proxy-b"), 200000, 5, 1000, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> rpsOfB("proxy-c") > 5);
        List<Long> takeovers = new ArrayList<>();
        List<Long> failbacks = new ArrayList<>();
        for (int run = 1; run <= 5; run++) {
            net.seedClientNeighbour(vipA, net.mac("proxy-a"));
            net.seedClientNeighbour(RingNetwork.VIP6, net.mac("proxy-a"));
            ChildProcess probe = cluster.probe(vipA, 3000, 5, 300, 1);
            ProbeRequests.awaitOk(probe, "8081|8082", 0, 5, Duration.ofSeconds(30));
            long killedAt = System.currentTimeMillis();
            net.cut("proxy-a");
            cluster.nodes.get("proxy-a").kill();

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
                String metrics = cluster.admin("proxy-c", "/metrics");
                assertThat(metrics).contains("rollforward_ring_view_size 3.0").contains("rollforward_ring_quorum 1.0");
                assertThat(cluster.admin("proxy-c", "/status")).containsPattern("\"coordinator\"\\s*:\\s*\"proxy-[bcd]\"");
            }

            // proxy-a comes back (a reboot: its leftover address gone); failback after 1s, release first.
            long restartAt = System.currentTimeMillis();
            cluster.restart("proxy-a");
            cluster.awaitHolders(vipA, "proxy-a", Duration.ofSeconds(60));
            cluster.awaitHolders(RingNetwork.VIP6, "proxy-a", Duration.ofSeconds(10));
            await().atMost(Duration.ofSeconds(5)).until(() -> net.clientNeighbourMac(RingNetwork.VIP6)
                    .equals(net.mac("proxy-a")));
            ProbeRequests.Request back = ProbeRequests.awaitOk(probe, "8081|8082", restartAt, 1, Duration.ofSeconds(30)).get(0);
            failbacks.add(back.end() - restartAt);
            ProbeRequests.stop(probe);
        }
        ProbeRequests.stop(load);
        assertThat(cluster.heldTwice).as("a VIP on two live nodes at once").isEmpty();
        List<Long> sorted = takeovers.stream().sorted().toList();
        System.out.printf("ring takeover after link cut + kill -9 (failure-timeout 1s), %d runs: %s ms; median %d ms;"
                + " restart-to-failback %s ms%n", sorted.size(), takeovers, sorted.get(sorted.size() / 2), failbacks);
    }

    @Test
    void partitionThreeToOneKeepsQuorumSideServingAndMergesToOneHolderEach() throws Exception {
        cluster.startAll(RingCluster.Settings.AUTO);
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
        cluster.nodes.get("proxy-d").awaitLog("no quorum: releasing every VIP", Duration.ofSeconds(10));
        for (String home : List.of("proxy-a", "proxy-b", "proxy-c")) {
            cluster.awaitHolders(RingNetwork.vip(home), home, Duration.ofSeconds(20));
        }

        long healAt = System.currentTimeMillis();
        net.restore("proxy-d");
        cluster.awaitHolders(vipD, "proxy-d", Duration.ofSeconds(60));
        System.out.printf("ring merge: %s back on proxy-d %d ms after the link came back%n", vipD,
                System.currentTimeMillis() - healAt);
        for (String home : RingNetwork.NODES) {
            assertThat(net.holders(RingNetwork.vip(home))).as("holders of %s after the merge", home).containsExactly(home);
        }
        assertThat(cluster.heldTwice).isEmpty();
    }

    private double rpsOfB(String askedAt) {
        Matcher m = RPS.matcher(cluster.admin(askedAt, "/status"));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
