package io.rollforward.proxy.hardening;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rollforward.config.HostPort;
import io.rollforward.config.Limits;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.exchange.DivergenceLog;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.ExchangeSettings;
import io.rollforward.proxy.front.ExchangeFactory;
import io.rollforward.proxy.front.FrontEvents;
import io.rollforward.proxy.front.FrontInitializer;
import io.rollforward.proxy.front.InflightExchanges;
import io.rollforward.proxy.replica.ReplicaSet;
import io.rollforward.proxy.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real front pipeline ({@link FrontInitializer}) on an {@link EmbeddedChannel}, with replicas
 * on a loopback port nobody listens on: a request that passes every check becomes an Exchange
 * whose replicas all fail (502), a refused one never gets that far.
 */
final class FrontFixture implements AutoCloseable {
    final List<String> rejected = new CopyOnWriteArrayList<>();
    private final ReplicaSet replicas;
    private final FrontInitializer front;

    FrontFixture(Limits limits) {
        int closed = closedPort();
        RollforwardConfig config = RollforwardConfig.of(HostPort.of("127.0.0.1", 0), List.of(
                ReplicaConfig.of("master", HostPort.of("127.0.0.1", closed)),
                ReplicaConfig.of("backup", HostPort.of("127.0.0.1", closed)))).withLimits(limits);
        replicas = new ReplicaSet(config.replicas(), Transport.NIO, limits);
        ExchangeFactory exchanges = new ExchangeFactory(replicas, ExchangeSettings.from(config),
                new io.rollforward.proxy.exchange.ExchangeServices(ExchangeEvents.NONE, new DivergenceLog(1_000_000_000L),
                        new io.rollforward.proxy.exchange.BufferBudget(64 << 20), null,
                        new io.rollforward.proxy.exchange.InternalErrors(1_000_000_000L)),
                new InflightExchanges());
        FrontEvents events = rejected::add;
        front = new FrontInitializer(limits, exchanges, events);
    }

    EmbeddedChannel channel() {
        return new EmbeddedChannel(front);
    }

    static void send(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1));
    }

    /** Everything the pipeline wrote to the client so far. */
    static byte[] written(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        replicas.close();
    }
}
