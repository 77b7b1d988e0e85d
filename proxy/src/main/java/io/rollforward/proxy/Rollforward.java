package io.rollforward.proxy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.admin.AdminResult;
import io.rollforward.proxy.admin.AdminServer;
import io.rollforward.proxy.exchange.DivergenceLog;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.ExchangeSettings;
import io.rollforward.proxy.front.ExchangeFactory;
import io.rollforward.proxy.front.FrontEvents;
import io.rollforward.proxy.front.FrontInitializer;
import io.rollforward.proxy.front.InflightExchanges;
import io.rollforward.proxy.ha.HaNode;
import io.rollforward.proxy.health.HealthMonitor;
import io.rollforward.proxy.metrics.ProxyMetrics;
import io.rollforward.proxy.metrics.RingMetrics;
import io.rollforward.proxy.ring.LoadSampler;
import io.rollforward.proxy.ring.RingNode;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaSet;
import io.rollforward.proxy.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: the front port, the replicas and what watches them, metrics and the admin
 * port. Built from a validated {@link RollforwardConfig}; {@link #close()} stops it.
 */
public final class Rollforward implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Rollforward.class);

    private final RollforwardConfig config;
    private final Transport transport = Transport.best();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final EventLoopGroup adminLoop;
    private final List<AutoCloseable> closeInReverse = new ArrayList<>();
    private ProxyMetrics metrics;
    private ReplicaSet replicas;
    private HealthMonitor health;
    private ExchangeFactory exchanges;
    private FrontInitializer front;
    private Channel frontChannel;
    private InetSocketAddress adminAddress;
    private HaNode ha;
    private RingNode ring;

    private Rollforward(RollforwardConfig config) {
        this.config = config;
        this.boss = transport.newGroup(1);
        this.workers = transport.newGroup(0);
        this.adminLoop = transport.newGroup(1);
    }

    /** Starts the proxy; on failure everything started so far is stopped again. */
    public static Rollforward start(RollforwardConfig config) throws InterruptedException {
        return start(config, ExchangeEvents.NONE, FrontEvents.NONE);
    }

    /** As {@link #start(RollforwardConfig)}, also reporting to the given listeners (tests). */
    public static Rollforward start(RollforwardConfig config, ExchangeEvents events, FrontEvents frontEvents)
            throws InterruptedException {
        Rollforward proxy = new Rollforward(config);
        try {
            proxy.startAll(events, frontEvents);
            return proxy;
        } catch (RuntimeException | InterruptedException e) {
            proxy.close();
            throw e;
        }
    }

    private void startAll(ExchangeEvents extraEvents, FrontEvents extraFrontEvents) throws InterruptedException {
        metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                config.replicas().stream().map(r -> r.name()).toList());
        closeInReverse.add(metrics);
        replicas = new ReplicaSet(config.replicas(), transport, config.limits());
        closeInReverse.add(replicas);
        for (Replica r : replicas.all()) {
            metrics.replicaState(r.name(), r.inService());
        }
        replicas.onChange((r, up) -> metrics.replicaState(r.name(), up));
        health = new HealthMonitor(config, replicas);
        closeInReverse.add(health);
        health.listenForAgents(config, adminLoop, metrics::heartbeatRejected);

        ExchangeEvents events = ExchangeEvents.all(metrics, health.exchangeEvents(), extraEvents);
        FrontEvents frontEvents = reason -> {
            metrics.clientRejected(reason);
            extraFrontEvents.rejected(reason);
        };
        exchanges = new ExchangeFactory(replicas, ExchangeSettings.from(config), events,
                new DivergenceLog(config.divergenceLogInterval().toNanos()), new InflightExchanges());
        front = new FrontInitializer(config.limits(), exchanges, frontEvents);

        OperatorActions actions = new OperatorActions(health, this::stopAccepting, () -> ha != null ? ha.failover()
                : CompletableFuture.completedFuture(AdminResult.conflict("no cluster is configured: nothing to fail over to")),
                vip -> ring != null ? ring.failback(vip)
                        : CompletableFuture.completedFuture(AdminResult.conflict("no ring cluster is configured")));
        AdminServer admin = new AdminServer(config.admin(), metrics, this::status, actions);
        closeInReverse.add(admin);
        adminAddress = admin.start(adminLoop, transport.serverChannel());

        ServerBootstrap frontBootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(front);
        if (HaNode.listensOnVip(config) && transport == Transport.EPOLL) {
            // The STANDBY listens on the VIP before owning it, so takeover is address + ARP only.
            frontBootstrap.option(EpollChannelOption.IP_FREEBIND, true);
        }
        frontChannel = frontBootstrap.bind(config.listen().host(), config.listen().port()).sync().channel();
        health.start();
        if (config.cluster().isPresent()) {
            ha = HaNode.start(config.cluster().get(), transport, metrics); // closed first in close()
        }
        if (config.ring().isPresent()) {
            ring = RingNode.start(config.ring().get(), new RingMetrics(metrics.registry()), new LoadSampler(
                    () -> exchanges.inflight().size(), LoadSampler.requestsIn(metrics.registry()), System::nanoTime));
        }
        log.info("listening on {} ({} transport); replicas {}; admin on {}", frontChannel.localAddress(), transport,
                replicas.all().stream().map(r -> r.name() + "=" + r.config().address()).toList(), adminAddress);
    }

    /** The bound front address (the actual port when the config said 0). */
    public InetSocketAddress frontAddress() {
        return (InetSocketAddress) frontChannel.localAddress();
    }

    /** The bound admin address. */
    public InetSocketAddress adminAddress() {
        return adminAddress;
    }

    public ReplicaSet replicas() {
        return replicas;
    }

    public HealthMonitor health() {
        return health;
    }

    public ProxyMetrics metrics() {
        return metrics;
    }

    public InflightExchanges inflight() {
        return exchanges.inflight();
    }

    public RollforwardConfig config() {
        return config;
    }

    /** {@code GET /status}. */
    Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Replica> inService = replicas.inService();
        m.put("acting_master", inService.isEmpty() ? null : inService.get(0).name());
        m.put("replicas", health.status());
        m.put("agents", health.agents());
        m.put("role", ha == null ? "none" : ha.status().get("role"));
        m.put("vip_owner", ha == null ? null : ha.vipOwner());
        if (ha != null) {
            m.put("cluster", ha.status());
        }
        if (ring != null) {
            m.put("cluster", ring.status());
        }
        m.put("inflight_requests", exchanges.inflight().size());
        m.put("client_connections", front.openConnections());
        return m;
    }

    private void stopAccepting() {
        if (frontChannel != null) {
            frontChannel.close();
        }
    }

    /** Stops accepting, lets in-flight exchanges finish for up to the per-request timeout, then stops. */
    @Override
    public void close() {
        if (ha != null) {
            ha.close(); // first: release the VIP and tell the peer, while the front still answers
        }
        if (ring != null) {
            ring.close(); // the same: release the VIPs and leave, so survivors take them at once
        }
        if (frontChannel != null) {
            frontChannel.close().syncUninterruptibly();
        }
        long timeout = Math.max(100, config.perRequestTimeout().toMillis());
        boss.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, timeout, TimeUnit.MILLISECONDS).syncUninterruptibly();
        for (int i = closeInReverse.size() - 1; i >= 0; i--) {
            try {
                closeInReverse.get(i).close();
            } catch (Exception e) {
                log.warn("while stopping: {}", e.toString());
            }
        }
        adminLoop.shutdownGracefully(0, 1000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        boss.terminationFuture().syncUninterruptibly();
    }
}
