package io.rollforward.heartbeat.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.rollforward.config.HostPort;
import io.rollforward.config.Timing;
import io.rollforward.config.UdpLink;
import io.rollforward.heartbeat.AuthKey;
import io.rollforward.heartbeat.FailureDetector;
import io.rollforward.heartbeat.HeartbeatCodec;
import io.rollforward.heartbeat.HeartbeatEvents;
import io.rollforward.heartbeat.HeartbeatPacket;
import io.rollforward.heartbeat.HeartbeatSource;
import io.rollforward.heartbeat.Liveness;
import io.rollforward.heartbeat.NodeState;
import io.rollforward.heartbeat.RejectReason;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real datagrams over loopback only (127.0.0.1 and 127.0.0.2), on ephemeral or probed-free ports. */
class UdpHeartbeatTransportTest {
    private static final AuthKey KEY = AuthKey.of("pair secret".getBytes(StandardCharsets.UTF_8));
    private static final Duration MAX_AGE = Duration.ofSeconds(10);

    private EventLoopGroup group;

    /** Counts rejections as a Micrometer binder would, by reason. */
    static final class Counter implements HeartbeatEvents {
        final Map<RejectReason, Integer> counts = new EnumMap<>(RejectReason.class);

        @Override
        public synchronized void rejected(RejectReason reason) {
            counts.merge(reason, 1, Integer::sum);
        }

        synchronized int get(RejectReason reason) {
            return counts.getOrDefault(reason, 0);
        }
    }

    private EventLoopGroup group(boolean epoll) {
        group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        return group;
    }

    @AfterEach
    void stopGroup() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** A UDP port free on both 127.0.0.1 and 127.0.0.2 right now (a small race we accept in a test). */
    private static int freePortOnBothLoopbacks() throws Exception {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (DatagramSocket a = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                int port = a.getLocalPort();
                try (DatagramSocket b = new DatagramSocket(new InetSocketAddress("127.0.0.2", port))) {
                    return port;
                } catch (java.net.BindException e) {
                    // taken on .2; try another
                }
            }
        }
        throw new IllegalStateException("no UDP port free on both 127.0.0.1 and 127.0.0.2");
    }

    private static UdpLink ucast(String bind, String peer, int port) {
        return new UdpLink(UdpLink.Mode.UCAST, List.of(peer), Optional.empty(), 1, port, bind, Optional.empty());
    }

    @ParameterizedTest(name = "epoll={0}")
    @ValueSource(booleans = {true, false})
    void twoNodesExchangeHeartbeatsAndSeeEachOtherAlive(boolean epoll) throws Exception {
        if (epoll) {
            org.junit.jupiter.api.Assumptions.assumeTrue(Epoll.isAvailable(), "epoll not available: "
                    + Epoll.unavailabilityCause());
        }
        EventLoopGroup g = group(epoll);
        int port = freePortOnBothLoopbacks();
        Timing timing = new Timing(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(600),
                Duration.ofSeconds(2));
        FailureDetector seenByA = new FailureDetector(timing, HeartbeatEvents.NONE);
        FailureDetector seenByB = new FailureDetector(timing, HeartbeatEvents.NONE);
        Counter countA = new Counter();
        Counter countB = new Counter();
        try (UdpHeartbeatTransport a = UdpHeartbeatTransport.open(g, ucast("127.0.0.1", "127.0.0.2", port),
                new HeartbeatCodec(KEY, MAX_AGE, countA), seenByA::onHeartbeat);
             UdpHeartbeatTransport b = UdpHeartbeatTransport.open(g, ucast("127.0.0.2", "127.0.0.1", port),
                     new HeartbeatCodec(KEY, MAX_AGE, countB), seenByB::onHeartbeat)) {
            HeartbeatSource nodeA = new HeartbeatSource("proxy-a");
            HeartbeatSource nodeB = new HeartbeatSource("proxy-b");
            // The detector runs on the transport's event loop, as in the proxy.
            a.eventLoop().scheduleAtFixedRate(() -> a.send(nodeA.next(NodeState.ACTIVE, OptionalInt.of(3))),
                    0, 100, TimeUnit.MILLISECONDS);
            b.eventLoop().scheduleAtFixedRate(() -> b.send(nodeB.next(NodeState.STANDBY)), 0, 100, TimeUnit.MILLISECONDS);
            seenByA.scheduleChecks(a.eventLoop());
            seenByB.scheduleChecks(b.eventLoop());

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(seenByA.liveness("proxy-b")).isEqualTo(Liveness.ALIVE);
                assertThat(seenByB.liveness("proxy-a")).isEqualTo(Liveness.ALIVE);
            });
            assertThat(seenByA.status("proxy-b").orElseThrow().reported()).contains(NodeState.STANDBY);
            assertThat(seenByB.status("proxy-a").orElseThrow().load()).hasValue(3);
            // Neither saw itself, and nothing was rejected.
            assertThat(seenByA.statuses()).containsOnlyKeys("proxy-b");
            assertThat(countA.counts).isEmpty();
            assertThat(countB.counts).isEmpty();

            // B falls silent: A declares it dead after deadtime.
            b.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> seenByA.liveness("proxy-b") == Liveness.DEAD);
        }
    }

    @Test
    void packetSignedWithAnotherKeyIsCountedBadMacAndNotDelivered() throws Exception {
        EventLoopGroup g = group(Epoll.isAvailable());
        Counter counter = new Counter();
        List<HeartbeatPacket> delivered = new CopyOnWriteArrayList<>();
        try (UdpHeartbeatTransport listener = UdpHeartbeatTransport.listen(g, HostPort.of("127.0.0.1", 0),
                new HeartbeatCodec(KEY, MAX_AGE, counter), delivered::add)) {
            List<HostPort> to = List.of(HostPort.of("127.0.0.1", listener.localAddress().getPort()));
            AuthKey otherKey = AuthKey.of("not the pair secret".getBytes(StandardCharsets.UTF_8));
            try (UdpHeartbeatTransport intruder = UdpHeartbeatTransport.openSender(g, to,
                    new HeartbeatCodec(otherKey, MAX_AGE, HeartbeatEvents.NONE));
                 UdpHeartbeatTransport friend = UdpHeartbeatTransport.openSender(g, to,
                         new HeartbeatCodec(KEY, MAX_AGE, HeartbeatEvents.NONE))) {
                intruder.send(new HeartbeatSource("proxy-b").next(NodeState.ACTIVE)).syncUninterruptibly();
                await().atMost(Duration.ofSeconds(5)).until(() -> counter.get(RejectReason.BAD_MAC) == 1);

                // Garbage and a replay from a plain socket are counted too, by reason.
                HeartbeatPacket good = new HeartbeatSource("web-1").next(NodeState.UP);
                friend.send(good).syncUninterruptibly();
                await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 1);
                byte[] replay = new HeartbeatCodec(KEY, MAX_AGE, HeartbeatEvents.NONE).encode(good);
                try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
                    InetSocketAddress dst = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                            listener.localAddress().getPort());
                    raw.send(new DatagramPacket(replay, replay.length, dst));
                    byte[] junk = "not a heartbeat".getBytes(StandardCharsets.US_ASCII);
                    raw.send(new DatagramPacket(junk, junk.length, dst));
                    raw.send(new DatagramPacket(replay, 10, dst));
                }
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    assertThat(counter.get(RejectReason.REPLAYED)).isEqualTo(1);
                    assertThat(counter.get(RejectReason.MALFORMED)).isEqualTo(1);
                    assertThat(counter.get(RejectReason.TRUNCATED)).isEqualTo(1);
                });
            }
            assertThat(delivered).singleElement().satisfies(p -> assertThat(p.node()).isEqualTo("web-1"));
            assertThat(counter.get(RejectReason.BAD_MAC)).isEqualTo(1);
        }
    }

    @Test
    void aThrowingReceiverDoesNotStopTheListener() {
        EventLoopGroup g = group(Epoll.isAvailable());
        List<HeartbeatPacket> delivered = new CopyOnWriteArrayList<>();
        try (UdpHeartbeatTransport listener = UdpHeartbeatTransport.listen(g, HostPort.of("127.0.0.1", 0),
                new HeartbeatCodec(KEY, MAX_AGE, HeartbeatEvents.NONE), p -> {
                    delivered.add(p);
                    throw new IllegalStateException("receiver bug");
                });
             UdpHeartbeatTransport sender = UdpHeartbeatTransport.openSender(g,
                     List.of(HostPort.of("127.0.0.1", listener.localAddress().getPort())),
                     new HeartbeatCodec(KEY, MAX_AGE, HeartbeatEvents.NONE))) {
            HeartbeatSource src = new HeartbeatSource("web-1");
            sender.send(src.next(NodeState.UP)).syncUninterruptibly();
            sender.send(src.next(NodeState.UP)).syncUninterruptibly();
            await().atMost(Duration.ofSeconds(5)).until(() -> delivered.size() == 2);
        }
    }

    @Test
    void badLinkConfigIsAClearError() {
        EventLoopGroup g = group(false);
        HeartbeatCodec codec = new HeartbeatCodec(KEY, MAX_AGE, HeartbeatEvents.NONE);
        UdpLink noPeers = new UdpLink(UdpLink.Mode.UCAST, List.of(), Optional.empty(), 1, 0, "127.0.0.1", Optional.empty());
        assertThatThrownBy(() -> UdpHeartbeatTransport.open(g, noPeers, codec, p -> { }))
                .hasMessageContaining("peers: none");
        UdpLink mcastNoIface = new UdpLink(UdpLink.Mode.MCAST, List.of(), Optional.of("239.0.0.94"), 1, 0,
                "127.0.0.1", Optional.empty());
        assertThatThrownBy(() -> UdpHeartbeatTransport.open(g, mcastNoIface, codec, p -> { }))
                .hasMessageContaining("iface: missing");
        UdpLink notMcast = new UdpLink(UdpLink.Mode.MCAST, List.of(), Optional.of("127.0.0.1"), 1, 0,
                "127.0.0.1", Optional.of("lo"));
        assertThatThrownBy(() -> UdpHeartbeatTransport.open(g, notMcast, codec, p -> { }))
                .hasMessageContaining("expected: a multicast address");
    }
}
