package io.rollforward.proxy.ha;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.rollforward.config.ClusterConfig;
import io.rollforward.heartbeat.AuthKey;
import io.rollforward.heartbeat.DecodeResult;
import io.rollforward.heartbeat.FailureDetector;
import io.rollforward.heartbeat.HeartbeatCodec;
import io.rollforward.heartbeat.HeartbeatEvents;
import io.rollforward.heartbeat.HeartbeatPacket;
import io.rollforward.heartbeat.HeartbeatSource;
import io.rollforward.heartbeat.NodeState;
import io.rollforward.heartbeat.serial.SerialHeartbeatLink;
import io.rollforward.heartbeat.udp.UdpHeartbeatTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The HA pair's heartbeat media, as ha.cf's {@code ucast}/{@code bcast}/{@code mcast} and
 * {@code serial} lines: the UDP transport and, if configured, the serial link. Each link has its
 * own {@link HeartbeatCodec}: the same packet goes out on both, and one shared replay guard would
 * take the second copy for a replay. The codec's {@code maxAge} (deadtime) also drops frames the
 * tty buffered while nobody read, which {@link SerialHeartbeatLink} leaves to its caller.
 *
 * <p>Accepted packets reach the {@link Receiver} on {@code loop} with the link's name;
 * {@link #send} stamps one packet and sends it on every link.
 */
final class HeartbeatLinks implements AutoCloseable {
    static final String UDP = FailureDetector.DEFAULT_LINK;
    static final String SERIAL = "serial";

    /** Called on the loop for each accepted heartbeat. */
    @FunctionalInterface
    interface Receiver {
        void onPacket(String link, HeartbeatPacket packet);
    }

    private final HeartbeatSource source;
    private final HeartbeatCodec udpCodec;
    private final UdpHeartbeatTransport udp;
    private final SerialHeartbeatLink serial;

    private HeartbeatLinks(HeartbeatSource source, HeartbeatCodec udpCodec, UdpHeartbeatTransport udp,
                           SerialHeartbeatLink serial) {
        this.source = source;
        this.udpCodec = udpCodec;
        this.udp = udp;
        this.serial = serial;
    }

    /**
     * Binds the UDP link on {@code group} (whose only loop is {@code loop}) and starts opening the
     * serial port in the background. Blocking: call from a start-up thread.
     */
    static HeartbeatLinks open(ClusterConfig config, AuthKey key, EventLoopGroup group, EventLoop loop,
                               HeartbeatEvents events, Receiver receiver) {
        HeartbeatCodec udpCodec = new HeartbeatCodec(key, config.timing().deadtime(), events);
        UdpHeartbeatTransport udp = UdpHeartbeatTransport.open(group, config.udp(), udpCodec,
                packet -> receiver.onPacket(UDP, packet));
        SerialHeartbeatLink serial = null;
        try {
            if (config.serial().isPresent()) {
                HeartbeatCodec serialCodec = new HeartbeatCodec(key, config.timing().deadtime(), events);
                serial = new SerialHeartbeatLink(config.serial().get(), (frame, receivedAt) -> {
                    // Decoded on the reader thread; only accepted packets cross to the loop.
                    if (serialCodec.decode(frame) instanceof DecodeResult.Accepted accepted) {
                        loop.execute(() -> receiver.onPacket(SERIAL, accepted.packet()));
                    }
                });
                serial.start();
            }
        } catch (RuntimeException e) {
            udp.close();
            throw e;
        }
        return new HeartbeatLinks(new HeartbeatSource(config.node()), udpCodec, udp, serial);
    }

    /** The names of the links {@code config} configures, UDP first. */
    static List<String> names(ClusterConfig config) {
        List<String> names = new ArrayList<>(List.of(UDP));
        if (config.serial().isPresent()) {
            names.add(SERIAL);
        }
        return names;
    }

    /**
     * One heartbeat saying {@code state} on every link. The future completes when the UDP
     * datagrams were written (the serial frame is queued on the link's own thread).
     */
    CompletableFuture<Void> send(NodeState state) {
        HeartbeatPacket packet = source.next(state);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        udp.send(packet).addListener(f -> sent.complete(null));
        if (serial != null) {
            serial.send(udpCodec.encode(packet));
        }
        return sent;
    }

    /** Serial first: frames already queued (a LEAVING) are written before the port closes. */
    @Override
    public void close() {
        if (serial != null) {
            serial.close();
        }
        udp.close();
    }
}
