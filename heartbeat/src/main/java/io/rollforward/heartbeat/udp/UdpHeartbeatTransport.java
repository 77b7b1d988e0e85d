package io.rollforward.heartbeat.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.rollforward.config.HostPort;
import io.rollforward.config.UdpLink;
import io.rollforward.heartbeat.HeartbeatCodec;
import io.rollforward.heartbeat.HeartbeatPacket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends and receives signed heartbeats over UDP, as ha.cf's {@code ucast}, {@code bcast} and
 * {@code mcast} media: to each peer address, to broadcast addresses ({@code SO_BROADCAST}), or to
 * a multicast group joined on an interface with a TTL. Default port 694 (ha.cf {@code udpport}).
 *
 * <p>Runs on an event loop of the caller's group (the proxy shares its own). The channel is
 * epoll when the group is an epoll group, NIO otherwise. {@link #open} and {@link #close} block
 * briefly: call them from a start-up or shutdown thread, never from an event loop.
 */
public final class UdpHeartbeatTransport implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UdpHeartbeatTransport.class);

    private final Channel channel;
    private final HeartbeatCodec codec;
    private final List<InetSocketAddress> targets;
    private final Set<String> ownNodes;

    private UdpHeartbeatTransport(Channel channel, HeartbeatCodec codec, List<InetSocketAddress> targets,
                                  Set<String> ownNodes) {
        this.channel = channel;
        this.codec = codec;
        this.targets = List.copyOf(targets);
        this.ownNodes = ownNodes;
    }

    /**
     * Binds {@code link.bind():link.port()}, joins the multicast group if any, and delivers every
     * accepted heartbeat to {@code receiver} on this transport's event loop. {@link #send} goes to
     * the link's peers (ucast/bcast) or its group (mcast).
     *
     * @throws IllegalArgumentException if a peer, group or interface cannot be resolved
     * @throws io.netty.channel.ChannelException (or another exception from the bind) if binding fails
     */
    public static UdpHeartbeatTransport open(EventLoopGroup group, UdpLink link, HeartbeatCodec codec,
                                             Consumer<HeartbeatPacket> receiver) {
        Objects.requireNonNull(link, "link");
        NetworkInterface iface = link.iface().map(UdpHeartbeatTransport::networkInterface).orElse(null);
        List<InetSocketAddress> targets = new ArrayList<>();
        InetAddress groupAddress = null;
        switch (link.mode()) {
            case UCAST -> link.peers().forEach(p -> targets.add(resolve(p, link.port())));
            case BCAST -> {
                link.peers().forEach(p -> targets.add(resolve(p, link.port())));
                if (targets.isEmpty() && iface != null) {
                    targets.addAll(broadcastAddresses(iface, link.port()));
                }
            }
            case MCAST -> {
                String g = link.group().orElseThrow(() ->
                        new IllegalArgumentException("group: missing (expected: a multicast group for mode mcast)"));
                if (iface == null) {
                    throw new IllegalArgumentException("iface: missing (expected: the interface to join " + g
                            + " on, as ha.cf's mcast dev)");
                }
                groupAddress = resolve(g, link.port()).getAddress();
                if (!groupAddress.isMulticastAddress()) {
                    throw new IllegalArgumentException("group: " + g + " (expected: a multicast address)");
                }
                targets.add(new InetSocketAddress(groupAddress, link.port()));
            }
            default -> throw new IllegalArgumentException("mode: " + link.mode());
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("peers: none (expected: at least one address for mode "
                    + link.mode().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        SocketProtocolFamily family = groupAddress == null ? null
                : groupAddress instanceof Inet6Address ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET;
        Set<String> ownNodes = ConcurrentHashMap.newKeySet();
        Bootstrap b = new Bootstrap().group(group)
                .channelFactory(channelFactory(group, family))
                .handler(new HeartbeatDatagramHandler(codec, receiver, ownNodes));
        if (link.mode() != UdpLink.Mode.UCAST) {
            // Several listeners (a second link, a test's second node, a sniffer) may share the port.
            b.option(ChannelOption.SO_REUSEADDR, true);
        }
        if (link.mode() == UdpLink.Mode.BCAST) {
            b.option(ChannelOption.SO_BROADCAST, true);
        }
        if (link.mode() == UdpLink.Mode.MCAST) {
            b.option(ChannelOption.IP_MULTICAST_TTL, link.ttl())
                    .option(ChannelOption.IP_MULTICAST_IF, iface);
        }
        DatagramChannel ch = (DatagramChannel) b.bind(resolve(link.bind(), link.port())).syncUninterruptibly().channel();
        if (groupAddress != null) {
            ChannelFuture joined = ch.joinGroup(new InetSocketAddress(groupAddress, link.port()), iface)
                    .awaitUninterruptibly();
            if (!joined.isSuccess()) {
                ch.close().syncUninterruptibly();
                throw new IllegalStateException("cannot join multicast group " + groupAddress.getHostAddress()
                        + " on " + iface.getName() + ": " + joined.cause(), joined.cause());
            }
        }
        log.info("Heartbeat {} link on {} sending to {}", link.mode(), ch.localAddress(), targets);
        return new UdpHeartbeatTransport(ch, codec, targets, ownNodes);
    }

    /**
     * A receive-only transport on {@code listen} (the proxy's agent listener,
     * {@code AgentsConfig.listen}): accepted heartbeats go to {@code receiver}; {@link #send} has
     * no targets, {@link #sendTo} still works.
     */
    public static UdpHeartbeatTransport listen(EventLoopGroup group, HostPort listen, HeartbeatCodec codec,
                                               Consumer<HeartbeatPacket> receiver) {
        Set<String> ownNodes = ConcurrentHashMap.newKeySet();
        Channel ch = new Bootstrap().group(group)
                .channelFactory(channelFactory(group, null))
                .handler(new HeartbeatDatagramHandler(codec, receiver, ownNodes))
                .bind(resolve(listen.host(), listen.port())).syncUninterruptibly().channel();
        log.info("Heartbeat listener on {}", ch.localAddress());
        return new UdpHeartbeatTransport(ch, codec, List.of(), ownNodes);
    }

    /**
     * A send-only transport on an ephemeral port (the agent's): {@link #send} goes to each of
     * {@code targets}. Datagrams that reach it are checked and dropped.
     */
    public static UdpHeartbeatTransport openSender(EventLoopGroup group, List<HostPort> targets, HeartbeatCodec codec) {
        List<InetSocketAddress> addrs = targets.stream().map(t -> resolve(t.host(), t.port())).toList();
        if (addrs.isEmpty()) {
            throw new IllegalArgumentException("send-to: none (expected: at least one host:port)");
        }
        Set<String> ownNodes = ConcurrentHashMap.newKeySet();
        Channel ch = new Bootstrap().group(group)
                .channelFactory(channelFactory(group, null))
                .handler(new HeartbeatDatagramHandler(codec, p -> { }, ownNodes))
                .bind(0).syncUninterruptibly().channel();
        return new UdpHeartbeatTransport(ch, codec, addrs, ownNodes);
    }

    /** Signs {@code packet} and sends it to {@code target} only. Thread-safe. */
    public Future<Void> sendTo(HeartbeatPacket packet, InetSocketAddress target) {
        return send(packet, List.of(target));
    }

    /**
     * Signs {@code packet} and sends it to every target. Thread-safe. The future completes when
     * every datagram was written, or fails with the first error.
     */
    public Future<Void> send(HeartbeatPacket packet) {
        return send(packet, targets);
    }

    private Future<Void> send(HeartbeatPacket packet, List<InetSocketAddress> targets) {
        ownNodes.add(packet.node());
        Promise<Void> done = channel.eventLoop().newPromise();
        if (targets.isEmpty()) {
            return done.setSuccess(null);
        }
        ByteBuf payload = codec.encode(packet, channel.alloc());
        AtomicInteger pending = new AtomicInteger(targets.size());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            for (InetSocketAddress target : targets) {
                channel.writeAndFlush(new DatagramPacket(payload.retainedDuplicate(), target)).addListener(f -> {
                    if (!f.isSuccess()) {
                        failure.compareAndSet(null, f.cause());
                        log.debug("Heartbeat to {} failed", target, f.cause());
                    }
                    if (pending.decrementAndGet() == 0) {
                        Throwable t = failure.get();
                        if (t == null) {
                            done.trySuccess(null);
                        } else {
                            done.tryFailure(t);
                        }
                    }
                });
            }
        } finally {
            payload.release();
        }
        return done;
    }

    /** The bound address (useful with port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Where {@link #send} goes. */
    public List<InetSocketAddress> targets() {
        return targets;
    }

    /** The event loop this transport's channel (and its receiver) runs on. */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    /** Closes the channel and waits for it. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    private static ChannelFactory<DatagramChannel> channelFactory(EventLoopGroup group, SocketProtocolFamily family) {
        boolean epoll = Epoll.isAvailable() && group instanceof IoEventLoopGroup io
                && io.isIoType(EpollIoHandler.class);
        if (epoll) {
            return () -> family == null ? new EpollDatagramChannel() : new EpollDatagramChannel(family);
        }
        return () -> family == null ? new NioDatagramChannel() : new NioDatagramChannel(family);
    }

    private static InetSocketAddress resolve(String host, int port) {
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("address: " + host + " (expected: a resolvable host or IP literal)");
        }
        return a;
    }

    private static NetworkInterface networkInterface(String name) {
        try {
            NetworkInterface ni = NetworkInterface.getByName(name);
            if (ni == null) {
                throw new IllegalArgumentException("iface: " + name + " (expected: an existing network interface)");
            }
            return ni;
        } catch (SocketException e) {
            throw new IllegalArgumentException("iface: " + name + " (" + e.getMessage() + ")", e);
        }
    }

    private static List<InetSocketAddress> broadcastAddresses(NetworkInterface iface, int port) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (InterfaceAddress ia : iface.getInterfaceAddresses()) {
            if (ia.getBroadcast() != null) {
                out.add(new InetSocketAddress(ia.getBroadcast(), port));
            }
        }
        return out;
    }
}
