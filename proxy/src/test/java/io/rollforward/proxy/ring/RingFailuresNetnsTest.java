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
 * The N-way cluster's harder cases end to end ({@link RingCluster}: four proxies, failure-timeout
 * 1s, failback-delay 1s): manual failback, two members killed at once, a 2|2 partition under
 * {@code quorum: majority} and its merge. Timing figures are printed; assertions are generous
 * functional bounds.
 */
class RingFailuresNetnsTest {
    private static final List<String> ALL_VIPS = allVips();
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
    void manualFailbackWaitsForTheAdminCallAndMovesReleaseFirst() throws Exception {
        cluster.startAll(new RingCluster.Settings("manual", "majority"));
        String vipA = RingNetwork.vip("proxy-a");
        net.cut("proxy-a");
        cluster.nodes.get("proxy-a").kill();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.liveHolders(vipA).size() == 1);
        String holder = cluster.liveHolders(vipA).get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.liveHolders(RingNetwork.VIP6).size() == 1);

        cluster.restart("proxy-a");
        long joinedAt = awaitViewOfFour("proxy-a");
        // Three failback-delays later the VIP still is where the takeover put it.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> cluster.liveHolders(vipA).equals(List.of(holder)));
        System.out.printf("ring manual failback: proxy-a in the view again; %s still on %s %d ms later%n",
                vipA, holder, System.currentTimeMillis() - joinedAt);

        // Asked on a member that is neither the holder nor (necessarily) the coordinator: forwarded.
        String asker = RingNetwork.NODES.stream().filter(n -> !n.equals(holder) && !n.equals("proxy-a"))
                .reduce((first, last) -> last).orElseThrow();
        long askedAt = System.currentTimeMillis();
        assertThat(cluster.adminPost(asker, "/cluster/vips/" + vipA + "/failback")).endsWith(" 202");
        cluster.awaitHolders(vipA, "proxy-a", Duration.ofSeconds(20));
        System.out.printf("ring manual failback: %s from %s to proxy-a %d ms after POST .../failback on %s%n",
                vipA, holder, System.currentTimeMillis() - askedAt, asker);
        assertThat(cluster.anyLogged("VIP " + Pattern.quote(vipA + "/24") + ": \\S+ -> proxy-a \\(failback_manual\\)"))
                .as("the move is counted as a manual failback:\n%s", cluster.logs()).isTrue();
        assertThat(cluster.heldTwice).as("release, then acquire: never two live holders").isEmpty();
        // Asked again at the coordinator (elsewhere the request is forwarded: 202): home already.
        Matcher coordinator = Pattern.compile("\"coordinator\"\\s*:\\s*\"(proxy-.)\"")
                .matcher(cluster.admin("proxy-a", "/status"));
        assertThat(coordinator.find()).isTrue();
        assertThat(cluster.adminPost(coordinator.group(1), "/cluster/vips/" + vipA + "/failback")).endsWith(" 409");
        // The IPv6 VIP, also proxy-a's, was not asked for: it stays where it is.
        assertThat(cluster.liveHolders(RingNetwork.VIP6)).hasSize(1).doesNotContain("proxy-a");
    }

    /**
     * proxy-a and proxy-b die together. With four members the two left are not a majority, so
     * this runs with {@code quorum: none} (under {@code majority} it is the 2|2 case below). One
     * decision gives every orphaned VIP to the least-loaded survivor: proxy-d, because proxy-c
     * is kept busy (and would win the tie by name otherwise).
     */
    @Test
    void twoNodesKilledAtOnceTheirVipsGoToTheLeastLoadedSurvivorEachHeldOnce() throws Exception {
        cluster.startAll(new RingCluster.Settings("auto", "none"));
        // Under quorum: none the members' first singleton views each hold VIPs until they merge
        // (the README's "two holders possible until the merge"): only what follows the kill counts.
        cluster.heldTwice.clear();
        String vipA = RingNetwork.vip("proxy-a");
        ChildProcess load = cluster.probe(RingNetwork.vip("proxy-c"), 200000, 5, 1000, 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> requestsPerSecond("proxy-c", "proxy-d") > 5);
        net.seedClientNeighbour(vipA, net.mac("proxy-a"));
        ChildProcess probe = cluster.probe(vipA, 3000, 5, 300, 1);
        ProbeRequests.awaitOk(probe, "8081|8082", 0, 5, Duration.ofSeconds(30));

        long killedAt = System.currentTimeMillis();
        net.cut("proxy-a");
        net.cut("proxy-b");
        cluster.nodes.get("proxy-a").kill();
        cluster.nodes.get("proxy-b").kill();

        ProbeRequests.Request first = ProbeRequests.awaitOk(probe, "8087|8088", killedAt, 1, Duration.ofSeconds(30)).get(0);
        for (String vip : List.of(vipA, RingNetwork.vip("proxy-b"), RingNetwork.VIP6, RingNetwork.vip("proxy-d"))) {
            cluster.awaitHolders(vip, "proxy-d", Duration.ofSeconds(30));
        }
        cluster.awaitHolders(RingNetwork.vip("proxy-c"), "proxy-c", Duration.ofSeconds(5));
        System.out.printf("ring two killed at once: proxy-a and proxy-b cut and killed; first reply on %s through"
                + " proxy-d after %d ms; all their VIPs on proxy-d %d ms after the kill%n", vipA,
                first.end() - killedAt, System.currentTimeMillis() - killedAt);
        ProbeRequests.stop(probe);
        ProbeRequests.stop(load);
        for (String vip : ALL_VIPS) {
            assertThat(cluster.liveHolders(vip)).as("live holders of %s", vip).hasSize(1);
        }
        assertThat(cluster.heldTwice).isEmpty();
    }

    /**
     * {@code quorum: majority} and a 2|2 split: each half holds 2 of 4, not a majority, so both
     * release every VIP and the cluster serves nothing until it heals (as the README says; there
     * is no tie-breaker). After the merge every VIP is at home, held once.
     */
    @Test
    void partitionTwoToTwoReleasesEverythingAndTheMergeBringsEachVipHome() throws Exception {
        cluster.startAll(RingCluster.Settings.AUTO);
        long splitAt = System.currentTimeMillis();
        net.partition(List.of("proxy-c", "proxy-d"));

        await().atMost(Duration.ofSeconds(30)).until(() -> net.held(ALL_VIPS).isEmpty());
        System.out.printf("ring partition 2|2: every VIP released %d ms after the split%n",
                System.currentTimeMillis() - splitAt);
        for (String node : RingNetwork.NODES) {
            cluster.nodes.get(node).awaitLog("no quorum: releasing every VIP", Duration.ofSeconds(10));
        }
        // Each sweep is four `ip` runs, slow on a loaded machine: the bound leaves room for them.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> net.held(ALL_VIPS).isEmpty());
        assertThat(cluster.admin("proxy-a", "/metrics")).contains("rollforward_ring_quorum 0.0");
        assertThat(cluster.admin("proxy-d", "/metrics")).contains("rollforward_ring_quorum 0.0");

        long healAt = System.currentTimeMillis();
        net.heal();
        for (String node : RingNetwork.NODES) {
            cluster.awaitHolders(RingNetwork.vip(node), node, Duration.ofSeconds(60));
        }
        cluster.awaitHolders(RingNetwork.VIP6, "proxy-a", Duration.ofSeconds(10));
        System.out.printf("ring merge after 2|2: every VIP home again %d ms after the partition healed%n",
                System.currentTimeMillis() - healAt);
        assertThat(cluster.heldTwice).isEmpty();
    }

    /** Until {@code node} reports a view of all four; returns when. */
    private long awaitViewOfFour(String node) {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> cluster.admin(node, "/metrics").contains("rollforward_ring_view_size 4.0"));
        return System.currentTimeMillis();
    }

    private double requestsPerSecond(String member, String askedAt) {
        Matcher m = Pattern.compile("\"" + member + "\"\\s*:\\s*\\{[^}]*\"requests_per_second\"\\s*:\\s*([0-9.]+)")
                .matcher(cluster.admin(askedAt, "/status"));
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static List<String> allVips() {
        List<String> vips = new ArrayList<>();
        RingNetwork.NODES.forEach(n -> vips.add(RingNetwork.vip(n)));
        vips.add(RingNetwork.VIP6);
        return List.copyOf(vips);
    }
}
