package io.rollforward.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
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
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: the front port, the replicas and everything that watches them. Built from a
 * validated {@link RollforwardConfig}; {@link #close()} stops it.
 */
public final class Rollforward implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Rollforward.class);

    private final RollforwardConfig config;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ReplicaSet replicas;
    private final ExchangeFactory exchanges;
    private final FrontInitializer front;
    private final Channel frontChannel;

    private Rollforward(RollforwardConfig config, ExchangeEvents events, FrontEvents frontEvents) throws InterruptedException {
        this.config = config;
        Transport transport = Transport.best();
        this.boss = transport.newGroup(1);
        this.workers = transport.newGroup(0);
        boolean started = false;
        try {
            this.replicas = new ReplicaSet(config.replicas(), transport, config.limits());
            this.exchanges = new ExchangeFactory(replicas, ExchangeSettings.from(config), events,
                    new DivergenceLog(config.divergenceLogInterval().toNanos()), new InflightExchanges());
            this.front = new FrontInitializer(config.limits(), exchanges, frontEvents);
            this.frontChannel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(front)
                    .bind(config.listen().host(), config.listen().port())
                    .sync()
                    .channel();
            started = true;
        } finally {
            if (!started) {
                boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
        }
        log.info("listening on {} ({} transport); replicas {}", frontChannel.localAddress(), transport,
                replicas.all().stream().map(r -> r.name() + "=" + r.config().address()).toList());
    }

    public static Rollforward start(RollforwardConfig config) throws InterruptedException {
        return new Rollforward(config, ExchangeEvents.NONE, FrontEvents.NONE);
    }

    public static Rollforward start(RollforwardConfig config, ExchangeEvents events, FrontEvents frontEvents)
            throws InterruptedException {
        return new Rollforward(config, events, frontEvents);
    }

    /** The bound front address (the actual port when the config said 0). */
    public InetSocketAddress frontAddress() {
        return (InetSocketAddress) frontChannel.localAddress();
    }

    public ReplicaSet replicas() {
        return replicas;
    }

    public InflightExchanges inflight() {
        return exchanges.inflight();
    }

    public RollforwardConfig config() {
        return config;
    }

    /** Stops accepting, lets in-flight exchanges finish for up to the per-request timeout, then stops. */
    @Override
    public void close() {
        frontChannel.close().syncUninterruptibly();
        replicas.close();
        long quiet = 0;
        long timeout = Math.max(100, config.perRequestTimeout().toMillis());
        boss.shutdownGracefully(quiet, timeout, TimeUnit.MILLISECONDS).syncUninterruptibly();
        workers.shutdownGracefully(quiet, timeout, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
