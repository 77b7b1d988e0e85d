package io.rollforward.heartbeat.udp;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.rollforward.heartbeat.DecodeResult;
import io.rollforward.heartbeat.HeartbeatCodec;
import io.rollforward.heartbeat.HeartbeatPacket;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only handler of a heartbeat {@code DatagramChannel}: checks each datagram with the codec
 * (which counts rejections) and hands accepted packets to the receiver.
 *
 * <pre>
 *   DatagramChannel -> [HeartbeatDatagramHandler] -> receiver (e.g. FailureDetector::onHeartbeat)
 * </pre>
 *
 * <p>{@link SimpleChannelInboundHandler} releases every datagram after {@link #channelRead0}; the
 * codec copies what it needs. Packets from a node this transport itself sends as are our own
 * broadcast or multicast echo and are dropped. No exception leaves this handler.
 */
final class HeartbeatDatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatDatagramHandler.class);

    private final HeartbeatCodec codec;
    private final Consumer<HeartbeatPacket> receiver;
    private final Set<String> ownNodes;
    private final RejectionSummary rejections = new RejectionSummary(System::nanoTime, Duration.ofMinutes(1));

    HeartbeatDatagramHandler(HeartbeatCodec codec, Consumer<HeartbeatPacket> receiver, Set<String> ownNodes) {
        super(DatagramPacket.class, true);
        this.codec = codec;
        this.receiver = receiver;
        this.ownNodes = ownNodes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
        DecodeResult result = codec.decode(datagram.content());
        if (result instanceof DecodeResult.Rejected rejected) {
            rejections.record(rejected.reason(), datagram.sender()).ifPresent(log::warn);
            return;
        }
        HeartbeatPacket packet = ((DecodeResult.Accepted) result).packet();
        if (ownNodes.contains(packet.node())) {
            return;
        }
        try {
            receiver.accept(packet);
        } catch (RuntimeException e) {
            log.warn("Heartbeat receiver failed on a packet from {} ({})", packet.node(), datagram.sender(), e);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A UDP socket error (e.g. ICMP unreachable) is not a reason to stop listening.
        log.warn("Heartbeat channel {} error", ctx.channel().localAddress(), cause);
    }
}
