package io.rollforward.heartbeat.udp;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.rollforward.config.UdpLink;
import io.rollforward.heartbeat.AuthKey;
import io.rollforward.heartbeat.HeartbeatCodec;
import io.rollforward.heartbeat.HeartbeatEvents;
import io.rollforward.heartbeat.HeartbeatPacket;
import io.rollforward.heartbeat.HeartbeatSource;
import io.rollforward.heartbeat.NodeState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Run by {@link UdpMediaNamespaceTest} inside a network namespace it made: two nodes on one
 * interface (inside a namespace) exchange heartbeats by broadcast or multicast. Prints {@code PROBE OK} and exits 0
 * when each heard the other and neither was handed its own echo; exits 1 otherwise (10 s limit).
 *
 * <p>Arguments: {@code bcast|mcast iface port epoll|nio [group]}.
 */
public final class MediaProbe {
    private MediaProbe() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String iface = args[1];
        int port = Integer.parseInt(args[2]);
        boolean epoll = args[3].equals("epoll") && Epoll.isAvailable();
        UdpLink link = mode.equals("bcast")
                ? new UdpLink(UdpLink.Mode.BCAST, List.of(), Optional.empty(), 1, port, "0.0.0.0", Optional.of(iface))
                : new UdpLink(UdpLink.Mode.MCAST, List.of(), Optional.of(args[4]), 1, port, "0.0.0.0",
                        Optional.of(iface));
        AuthKey key = AuthKey.of("namespace secret".getBytes(StandardCharsets.UTF_8));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        CountDownLatch aHeardB = new CountDownLatch(1);
        CountDownLatch bHeardA = new CountDownLatch(1);
        AtomicInteger echoes = new AtomicInteger();
        boolean ok;
        try (UdpHeartbeatTransport a = UdpHeartbeatTransport.open(group, link,
                new HeartbeatCodec(key, Duration.ofSeconds(10), HeartbeatEvents.NONE),
                p -> countDown(p, "b", aHeardB, echoes));
             UdpHeartbeatTransport b = UdpHeartbeatTransport.open(group, link,
                     new HeartbeatCodec(key, Duration.ofSeconds(10), HeartbeatEvents.NONE),
                     p -> countDown(p, "a", bHeardA, echoes))) {
            System.out.println("PROBE " + mode + " targets " + a.targets() + " epoll=" + epoll);
            HeartbeatSource srcA = new HeartbeatSource("a");
            HeartbeatSource srcB = new HeartbeatSource("b");
            a.eventLoop().scheduleAtFixedRate(() -> a.send(srcA.next(NodeState.ACTIVE)), 0, 50, TimeUnit.MILLISECONDS);
            b.eventLoop().scheduleAtFixedRate(() -> b.send(srcB.next(NodeState.STANDBY)), 0, 50, TimeUnit.MILLISECONDS);
            ok = aHeardB.await(10, TimeUnit.SECONDS) && bHeardA.await(10, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        ok &= echoes.get() == 0;
        System.out.println(ok ? "PROBE OK" : "PROBE FAILED (echoes " + echoes.get() + ")");
        System.exit(ok ? 0 : 1);
    }

    private static void countDown(HeartbeatPacket p, String expected, CountDownLatch latch, AtomicInteger echoes) {
        if (p.node().equals(expected)) {
            latch.countDown();
        } else {
            echoes.incrementAndGet();
        }
    }
}
