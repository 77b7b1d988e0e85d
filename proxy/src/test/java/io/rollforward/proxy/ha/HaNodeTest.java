package io.rollforward.proxy.ha;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rollforward.config.ClusterConfig;
import io.rollforward.config.Timing;
import io.rollforward.config.UdpLink;
import io.rollforward.heartbeat.ha.Role;
import io.rollforward.heartbeat.ha.RoleChange;
import io.rollforward.proxy.admin.AdminResult;
import io.rollforward.proxy.metrics.ProxyMetrics;
import io.rollforward.proxy.transport.Transport;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Two {@link HaNode}s in this JVM heartbeating over loopback UDP (node-a on 127.0.0.1, node-b on
 * 127.0.0.2, one port), with the real {@link io.rollforward.heartbeat.ha.RoleStateMachine} and a
 * recording VIP. Timing is slower than the namespace test's so a busy machine cannot fake a death.
 */
class HaNodeTest {
    private static final Timing TIMING = new Timing(Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(2));

    @TempDir
    Path dir;
    private int port;
    private Path key;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private final class Node {
        final RecordingVip vip = new RecordingVip();
        final ProxyMetrics metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of("web1", "web2"));
        final List<RoleChange> changes = new CopyOnWriteArrayList<>();
        final HaNode ha;

        Node(String name, String peer, String bind, String peerAddress, Path keyFile) {
            ClusterConfig config = config(name, peer, bind, peerAddress, keyFile, false);
            ha = HaNode.start(config, Transport.best(), metrics, vip, changes::add);
            toClose.add(ha);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        key = keyFile("pair.key", "shared secret of the test pair");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    @Test
    void preferredNodeBecomesActiveAndTheOtherStandby() {
        Node a = nodeA();
        Node b = nodeB();

        awaitRoles(a, Role.ACTIVE, b, Role.STANDBY);

        // the role is published before the VIP work is handed to its thread
        await().atMost(Duration.ofSeconds(5))
                .until(() -> a.vip.isHeld() && a.metrics.scrape().contains("rollforward_vip_owned 1.0"));
        assertThat(b.vip.names()).doesNotContain("acquire");
        assertThat(a.ha.vipOwner()).isEqualTo("node-a");
        await().atMost(Duration.ofSeconds(5)).until(() -> "node-a".equals(b.ha.vipOwner()));
        assertThat(a.metrics.scrape())
                .contains("rollforward_role{role=\"active\"} 1.0")
                .contains("rollforward_role{role=\"standby\"} 0.0")
                .contains("rollforward_vip_owned 1.0")
                .contains("rollforward_heartbeat_link_up{link=\"udp\",peer=\"node-b\"} 1.0");
        assertThat(b.metrics.scrape())
                .contains("rollforward_role{role=\"standby\"} 1.0")
                .contains("rollforward_vip_owned 0.0");
        assertThat(b.ha.status()).containsEntry("role", "standby").containsEntry("peer_role", "active");
    }

    @Test
    void gracefulStopReleasesFirstAndThePeerTakesOverWithoutDeadtime() {
        Node a = nodeA();
        Node b = nodeB();
        awaitRoles(a, Role.ACTIVE, b, Role.STANDBY);

        a.ha.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> b.ha.role() == Role.ACTIVE);
        RoleChange takeover = b.changes.get(b.changes.size() - 1);
        // Not the deadtime rule ("dead on every link"): the LEAVING announcement.
        assertThat(takeover.reason()).contains("node-a is leaving");
        assertThat(a.vip.names()).contains("release");
        assertThat(b.vip.last("acquire")).isGreaterThan(a.vip.last("release"));
        assertThat(a.changes).extracting(RoleChange::to).endsWith(Role.LEAVING);
    }

    @Test
    void failoverHandsTheVipToThePeerAndStaysStandby() throws Exception {
        Node a = nodeA();
        Node b = nodeB();
        awaitRoles(a, Role.ACTIVE, b, Role.STANDBY);

        AdminResult result = a.ha.failover().get(10, TimeUnit.SECONDS);

        assertThat(result.status()).as(result.message()).isEqualTo(200);
        assertThat(b.ha.role()).isEqualTo(Role.ACTIVE);
        assertThat(a.ha.role()).isEqualTo(Role.STANDBY);
        assertThat(a.vip.isHeld()).isFalse();
        assertThat(b.vip.last("acquire")).isGreaterThan(a.vip.last("release"));
        // The preferred node does not take the VIP back (auto-failback off), not even after deadtime.
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).until(() ->
                a.ha.role() == Role.STANDBY && b.ha.role() == Role.ACTIVE);
        assertThat(a.metrics.scrape()).contains("rollforward_role{role=\"standby\"} 1.0");
    }

    @Test
    void failoverIsRefusedOnTheStandbyAndWithoutALivePeer() throws Exception {
        Node a = nodeA();
        Node b = nodeB();
        awaitRoles(a, Role.ACTIVE, b, Role.STANDBY);

        AdminResult onStandby = b.ha.failover().get(5, TimeUnit.SECONDS);
        assertThat(onStandby.status()).isEqualTo(409);
        assertThat(onStandby.message()).contains("node-b is STANDBY, not ACTIVE");

        b.ha.close();
        AdminResult leaving = a.ha.failover().get(5, TimeUnit.SECONDS);
        assertThat(leaving.status()).isEqualTo(409);
        assertThat(leaving.message()).contains("node-b is leaving");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.ha.status().get("peer_links").toString().contains("udp=dead"));
        AdminResult alone = a.ha.failover().get(5, TimeUnit.SECONDS);
        assertThat(alone.status()).isEqualTo(409);
        assertThat(alone.message()).contains("nobody to hand the VIP to");
        assertThat(a.ha.role()).isEqualTo(Role.ACTIVE);
    }

    @Test
    void heartbeatsSignedWithAnotherKeyAreRejectedAndCounted() throws IOException {
        Path otherKey = keyFile("other.key", "not the same secret");
        Node a = nodeA();
        Node b = new Node("node-b", "node-a", "127.0.0.2", "127.0.0.1", otherKey);

        await().atMost(Duration.ofSeconds(5)).until(() ->
                a.metrics.scrape().matches("(?s).*rollforward_heartbeat_rejected_total\\{reason=\"bad_mac\"} [1-9].*"));
        // Neither hears the other, so each takes over after initdead: what a wrong key costs.
        awaitRoles(a, Role.ACTIVE, b, Role.ACTIVE);
        assertThat(a.metrics.scrape()).contains("rollforward_heartbeat_link_up{link=\"udp\",peer=\"node-b\"} 0.0");
    }

    @Test
    void unreadableKeyOrFailedPreflightIsAClearStartError() throws IOException {
        Path open = dir.resolve("open.key");
        Files.writeString(open, "secret\n");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        ClusterConfig config = config("node-a", "node-b", "127.0.0.1", "127.0.0.2", open, false);
        ProxyMetrics metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of("w1", "w2"));
        assertThatThrownBy(() -> HaNode.start(config, Transport.best(), metrics, new RecordingVip(), c -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cluster.key-file")
                .hasMessageContaining("chmod 600");

        RecordingVip broken = new RecordingVip(new IllegalStateException("vip.interface: rfnosuch0 (expected: an existing interface)"));
        ClusterConfig good = config("node-a", "node-b", "127.0.0.1", "127.0.0.2", key, false);
        assertThatThrownBy(() -> HaNode.start(good, Transport.best(), metrics, broken, c -> { }))
                .hasMessageContaining("rfnosuch0");
        assertThat(broken.names()).containsExactly("preflight");
    }

    @Test
    void aLoneNodeTakesOverAfterInitdeadOnlyOnceAPingNodeAnswered() {
        ProxyMetrics metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of("w1", "w2"));
        RecordingVip vip = new RecordingVip();
        List<RoleChange> changes = new CopyOnWriteArrayList<>();
        // Without the ping verdict a node with ping-nodes never leaves STANDBY (ipfail).
        ClusterConfig config = withPingNodes(config("node-a", "node-b", "127.0.0.1", "127.0.0.2", key, false),
                List.of("127.0.0.1"));
        HaNode a = HaNode.start(config, Transport.best(), metrics, vip, changes::add);
        toClose.add(a);

        await().atMost(Duration.ofSeconds(10)).until(() -> a.role() == Role.ACTIVE);
        assertThat(changes.get(changes.size() - 1).reason()).contains("within initdead");
        await().atMost(Duration.ofSeconds(5)).until(vip::isHeld);
        assertThat(a.vipOwner()).isEqualTo("node-a");
    }

    private static ClusterConfig withPingNodes(ClusterConfig c, List<String> pingNodes) {
        return new ClusterConfig(c.node(), c.peer(), c.udp(), c.serial(), c.timing(), c.keyFile(), c.vip(),
                c.preferred(), c.autoFailback(), pingNodes, c.notifications());
    }

    private Node nodeA() {
        return new Node("node-a", "node-b", "127.0.0.1", "127.0.0.2", key);
    }

    private Node nodeB() {
        return new Node("node-b", "node-a", "127.0.0.2", "127.0.0.1", key);
    }

    private ClusterConfig config(String node, String peer, String bind, String peerAddress, Path keyFile,
                                 boolean autoFailback) {
        UdpLink udp = new UdpLink(UdpLink.Mode.UCAST, List.of(peerAddress), Optional.empty(), 1, port, bind,
                Optional.empty());
        return new ClusterConfig(node, peer, udp, Optional.empty(), TIMING, keyFile, Optional.empty(), null,
                autoFailback, List.of(), null);
    }

    private Path keyFile(String name, String secret) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static void awaitRoles(Node a, Role roleA, Node b, Role roleB) {
        await().atMost(Duration.ofSeconds(10)).until(() -> a.ha.role() == roleA && b.ha.role() == roleB);
    }
}
