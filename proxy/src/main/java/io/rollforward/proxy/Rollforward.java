package io.rollforward.proxy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollChannelOption;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.accesslog.AccessLog;
import io.rollforward.proxy.accesslog.OwnErrorWarnings;
import io.rollforward.proxy.admin.AdminResult;
import io.rollforward.proxy.admin.AdminServer;
import io.rollforward.proxy.exchange.BufferBudget;
import io.rollforward.proxy.exchange.ClientOutboundBudget;
import io.rollforward.proxy.metrics.OrderingMeters;
import io.rollforward.proxy.ordering.StepKeeper;
import io.rollforward.proxy.exchange.DivergenceLog;
import io.rollforward.proxy.exchange.ExchangeServices;
import io.rollforward.proxy.exchange.InternalErrors;
import io.rollforward.proxy.exchange.QueryOfDeath;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.ExchangeSettings;
import io.rollforward.proxy.front.ExchangeFactory;
import io.rollforward.proxy.front.FrontEvents;
import io.rollforward.proxy.front.FrontInitializer;
import io.rollforward.proxy.front.InflightExchanges;
import io.rollforward.proxy.front.ServerTls;
import io.rollforward.proxy.front.TlsFrontInitializer;
import io.rollforward.proxy.ha.HaNode;
import io.rollforward.proxy.health.HealthMonitor;
import io.rollforward.proxy.metrics.GroupMeters;
import io.rollforward.proxy.metrics.ProxyMetrics;
import io.rollforward.proxy.metrics.RingMetrics;
import io.rollforward.proxy.ring.LoadSampler;
import io.rollforward.proxy.ring.RingNode;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.replica.ReplicaSet;
import io.rollforward.proxy.schedule.GroupDispatcher;
import io.rollforward.proxy.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: the front port, the replicas and what watches them, metrics and the admin
 * port. Built from a validated {@link RollforwardConfig}; {@link #close()} stops it.
 */
public final class Rollforward implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Rollforward.class);
    /**
     * A client connection stops taking reply bytes (the copy streaming to it is paused) once 32 KiB
     * wait in the proxy, and takes them again under 16 KiB: the bytes a slow client has not read
     * wait in its kernel socket buffer and at the server, not in the proxy's memory. With
     * {@link io.rollforward.proxy.replica.ReplicaPool#MAX_READ} this bounds a slow client at
     * 64 KiB (docs/ARCHITECTURE.md, "Bounded memory"). Half Netty's default marks: no CPU cost
     * measured for fast clients.
     */
    static final WriteBufferWaterMark CLIENT_WATER_MARK = new WriteBufferWaterMark(16 * 1024, 32 * 1024);

    private volatile RollforwardConfig config;
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
    private TlsFrontInitializer tlsFront;
    private Channel frontChannel;
    private Channel tlsChannel;
    private ConfigReload reload;
    private InetSocketAddress adminAddress;
    private HaNode ha;
    private BufferBudget budget;
    private StepKeeper steps = StepKeeper.OFF;
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
        replicas.onChange((r, up) -> {
            if (replicas.contains(r)) { // a retired replica's late verdict is nobody's series
                metrics.replicaState(r.name(), up);
            }
        });
        health = new HealthMonitor(config, replicas);
        closeInReverse.add(health);
        health.listenForAgents(config, adminLoop, metrics::heartbeatRejected);

        OwnErrorWarnings ownErrors = new OwnErrorWarnings();
        AccessLog.droppedCounter(metrics.registry()); // at zero from the first scrape, access log on or off
        ExchangeEvents accessLog = ExchangeEvents.NONE;
        if (config.accessLog().enabled()) {
            AccessLog opened = AccessLog.open(config.accessLog(), metrics.registry());
            closeInReverse.add(opened); // closed after the workers stopped: every exchange has reported
            accessLog = opened;
        }
        ExchangeEvents events = ExchangeEvents.all(metrics, health.exchangeEvents(), ownErrors, accessLog, extraEvents);
        FrontEvents frontEvents = reason -> {
            metrics.clientRejected(reason);
            ownErrors.rejected(reason);
            extraFrontEvents.rejected(reason);
        };
        config.ordering().ifPresent(ordering -> {
            OrderingMeters meters = new OrderingMeters(metrics.registry(), ordering.key().kind().tag(),
                    () -> steps.queuedWrites(), config.replicas().stream().map(r -> r.name()).toList());
            steps = StepKeeper.of(ordering, config.limits(), config.divergence().onWrite(), meters, (replica, reason) -> {
                meters.outOfStep(replica);
                health.outOfStep(replica, reason);
            });
        });
        budget = BufferBudget.of(config.limits().maxBufferedTotal());
        metrics.bufferBudget(budget);
        GroupDispatcher groups = GroupDispatcher.from(config.scheduling(), replicas);
        GroupMeters groupMeters = GroupMeters.register(metrics.registry(), groups);
        ExchangeSettings settings = ExchangeSettings.from(config);
        exchanges = new ExchangeFactory(replicas, groups, settings, new ExchangeServices(events,
                new DivergenceLog(config.divergenceLogInterval().toNanos()), budget,
                QueryOfDeath.of(config.queryOfDeath()), new InternalErrors(TimeUnit.SECONDS.toNanos(10))),
                new InflightExchanges(), steps);
        front = new FrontInitializer(config.limits(), exchanges, frontEvents, settings.forwarded().nodeName(),
                new ClientOutboundBudget(budget));

        if (config.tls().isPresent()) {
            ServerTls.logProvider();
            for (String warning : config.tls().get().warnings()) {
                log.warn("{}", warning);
            }
            try {
                tlsFront = new TlsFrontInitializer(front, ServerTls.contexts(config.tls().get()), config.tls().get());
            } catch (SSLException e) {
                throw new IllegalStateException("tls: " + e.getMessage(), e);
            }
        }
        ReplicaRetirement retirement = new ReplicaRetirement(workers, adminLoop, replicas, metrics);
        closeInReverse.add(retirement); // closes the pools still draining for an earlier set
        reload = new ConfigReload(this::config, next -> config = next,
                new ReplicaReload(replicas, health, metrics, exchanges, retirement, groupMeters), front, tlsFront);
        OperatorActions actions = new OperatorActions(health, exchanges::groups, this::stopAccepting, () -> ha != null ? ha.failover()
                : CompletableFuture.completedFuture(AdminResult.conflict("no cluster is configured: nothing to fail over to")),
                () -> CompletableFuture.supplyAsync(reload::fromFile),
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
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, CLIENT_WATER_MARK)
                .childHandler(front);
        if (HaNode.listensOnVip(config) && transport == Transport.EPOLL) {
            // The STANDBY listens on the VIP before owning it, so takeover is address + ARP only.
            frontBootstrap.option(EpollChannelOption.IP_FREEBIND, true);
        }
        if (config.listen().isPresent()) { // absent: HTTPS only
            frontChannel = frontBootstrap.bind(config.listen().get().host(), config.listen().get().port()).sync().channel();
        }
        if (tlsFront != null) {
            tlsChannel = frontBootstrap.clone().childHandler(tlsFront)
                    .bind(config.tls().get().listen().host(), config.tls().get().listen().port()).sync().channel();
        }
        health.start();
        if (config.cluster().isPresent()) {
            ha = HaNode.start(config.cluster().get(), transport, metrics); // closed first in close()
        }
        if (config.ring().isPresent()) {
            ring = RingNode.start(config.ring().get(), new RingMetrics(metrics.registry()), new LoadSampler(
                    () -> exchanges.inflight().size(), LoadSampler.requestsIn(metrics.registry()), System::nanoTime));
        }
        log.info("listening on {}{} ({} transport); replicas {}; admin on {}",
                frontChannel == null ? "no plain-HTTP port" : frontChannel.localAddress(),
                tlsChannel == null ? "" : " and TLS on " + tlsChannel.localAddress(), transport,
                replicas.all().stream().map(r -> r.name() + "=" + r.config().address()).toList(), adminAddress);
    }

    /**
     * The bound plain-HTTP front address (the actual port when the config said 0).
     *
     * @throws IllegalStateException when {@code listen} is not set (HTTPS only)
     */
    public InetSocketAddress frontAddress() {
        if (frontChannel == null) {
            throw new IllegalStateException("no plain-HTTP front: listen is not set");
        }
        return (InetSocketAddress) frontChannel.localAddress();
    }

    /** The bound plain-HTTP address, if {@code listen} is set. */
    public Optional<InetSocketAddress> plainAddress() {
        return Optional.ofNullable(frontChannel).map(c -> (InetSocketAddress) c.localAddress());
    }

    /** The bound HTTPS address, if {@code tls} is configured. */
    public Optional<InetSocketAddress> tlsAddress() {
        return Optional.ofNullable(tlsChannel).map(c -> (InetSocketAddress) c.localAddress());
    }

    /** Where {@link #reload()} reads the config from ({@code run -c FILE}). */
    public void reloadsFrom(Path file) {
        reload.file(file);
    }

    /** Re-reads the config file: a valid one serves new requests; see {@link ConfigReload}. */
    public AdminResult reload() {
        return reload.fromFile();
    }

    /** Applies {@code next} as a reload would (tests). */
    public AdminResult reload(RollforwardConfig next) {
        return reload.apply(next);
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

    /** What the exchanges hold now (splice windows, request bodies) against its limit. */
    public BufferBudget bufferBudget() {
        return budget;
    }

    public InflightExchanges inflight() {
        return exchanges.inflight();
    }

    /** The replica groups and their scheduler. */
    public GroupDispatcher groups() {
        return exchanges.groups();
    }

    public RollforwardConfig config() {
        return config;
    }

    /** Client connections open now, plain and TLS (an HTTP/2 connection counts once). */
    public int clientConnections() {
        return front.openConnections();
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
        m.putAll(exchanges.groups().status());
        if (ring != null) {
            m.put("cluster", ring.status());
        }
        m.put("inflight_requests", exchanges.inflight().size());
        if (steps.on()) {
            m.put("ordering", steps.status());
        }
        m.put("client_connections", front.openConnections());
        return m;
    }

    /** No new connections; open ones close after their next reply (HTTP/2: GOAWAY). */
    private void stopAccepting() {
        // called on the admin port's event loop by POST /drain: closes without waiting
        if (frontChannel != null) {
            frontChannel.close();
        }
        if (tlsChannel != null) {
            tlsChannel.close();
        }
        if (front != null) {
            front.drain().start();
        }
    }

    /**
     * Hands the VIP over (HA), stops accepting, lets in-flight exchanges finish for up to
     * {@code shutdown-timeout}, then stops. Idle keep-alive connections get {@code Connection:
     * close} on their next request, HTTP/2 connections a GOAWAY.
     */
    @Override
    public void close() {
        if (ha != null) {
            ha.close(); // first: release the VIP and tell the peer, while the front still answers
        }
        if (ring != null) {
            ring.close(); // the same: release the VIPs and leave, so survivors take them at once
        }
        stopAccepting();
        for (Channel listener : new Channel[] {frontChannel, tlsChannel}) {
            if (listener != null) {
                listener.closeFuture().syncUninterruptibly();
            }
        }
        if (exchanges != null && !new InflightWait(exchanges.inflight(), boss).await(config.shutdownTimeout())) {
            exchanges.inflight().stopAll(); // out of time: cut them, and release what they hold
            new InflightWait(exchanges.inflight(), boss).await(java.time.Duration.ofSeconds(1));
        }
        if (front != null) {
            front.drain().closeAll();
        }
        boss.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS).syncUninterruptibly();
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
