package io.rollforward.proxy.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.rollforward.proxy.exchange.DivergenceKind;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.front.FrontEvents;
import io.rollforward.proxy.exchange.FailureCause;
import io.rollforward.proxy.exchange.Outcome;
import io.rollforward.proxy.exchange.UncoveredReason;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every meter of the proxy under the prefix {@code rollforward_}, one meter name with many tags
 * (Armeria's {@code ServerPortMetric} habit), plus JVM, process and Netty allocator meters.
 *
 * <p>The methods called per request run on Netty event loops: each is a lookup of a meter made in
 * the constructor and an atomic add, never a map or tag list built per call. Every tag combination
 * known up front (each outcome per replica, each cause, each divergence kind, each replica's state,
 * each role) is registered in the constructor, so its zero-valued series is in the first scrape and
 * {@code rate()} and the dashboard work before the first event.
 *
 * <p>Thread-safe. The caller owns the registry; {@link #close()} only stops the GC listener.
 */
public final class ProxyMetrics implements ExchangeEvents, AutoCloseable {
    /** The {@code served_by} tag of a request no replica answered. */
    public static final String NONE = "none";
    /** {@code reason} tags of {@code rollforward_heartbeat_rejected_total} registered up front. */
    public static final List<String> HEARTBEAT_REJECT_REASONS =
            List.of("malformed", "truncated", "bad_mac", "replayed", "stale", "unknown_version");
    /** {@code reason} tags of {@code rollforward_client_rejected_total} registered up front. */
    public static final List<String> CLIENT_REJECT_REASONS = List.of(FrontEvents.BAD_REQUEST,
            FrontEvents.HEADER_TOO_LARGE, FrontEvents.URI_TOO_LONG, FrontEvents.BODY_TOO_LARGE,
            FrontEvents.HEADER_TIMEOUT, FrontEvents.TOO_MANY_CONNECTIONS, FrontEvents.FRAMING,
            FrontEvents.OBS_FOLD, FrontEvents.NO_REPLICA, FrontEvents.UPGRADE, FrontEvents.LOOP,
            FrontEvents.WRITE_QUEUE_FULL);
    /** {@code role} tags of {@code rollforward_role}; {@code none} is the role of a proxy without a cluster. */
    public static final List<String> ROLES = List.of("init", "standby", "active", "leaving", NONE);

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final FailureCause[] CAUSES = FailureCause.values();
    private static final DivergenceKind[] KINDS = DivergenceKind.values();

    private final PrometheusMeterRegistry registry;
    private final ReplicaMeters.Factory replicaFactory;
    private final Map<String, ReplicaMeters> replicas = new ConcurrentHashMap<>();
    private final Counter[] unservedRequests = new Counter[OUTCOMES.length];
    private final Counter[] rollforwards = new Counter[CAUSES.length * 2];
    private final Counter[] uncovered = new Counter[UncoveredReason.values().length];
    private final Counter splices;
    private final Counter quarantined;
    private final Counter[] divergences = new Counter[KINDS.length];
    private final LongAdder inflight = new LongAdder();
    private final ReasonCounters heartbeatRejected;
    private final ReasonCounters clientRejected;
    private final Map<String, AtomicInteger> heartbeatLinks = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> roles = new ConcurrentHashMap<>();
    private final AtomicInteger vipOwned = new AtomicInteger();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    /**
     * Registers every meter on {@code registry}.
     *
     * @param replicaNames the configured replicas in priority order; names must be distinct, non-blank
     *                     and not {@value #NONE}
     */
    public ProxyMetrics(PrometheusMeterRegistry registry, List<String> replicaNames) {
        this.registry = Objects.requireNonNull(registry, "registry");
        checkNames(replicaNames);
        this.replicaFactory = new ReplicaMeters.Factory(registry);
        for (String name : replicaNames) {
            replicas.put(name, replicaFactory.create(name));
        }
        for (Outcome outcome : OUTCOMES) {
            unservedRequests[outcome.ordinal()] = replicaFactory.requests(NONE, outcome);
        }
        for (FailureCause cause : CAUSES) {
            for (int mid = 0; mid < 2; mid++) {
                rollforwards[cause.ordinal() * 2 + mid] = Counter.builder("rollforward.rollforwards")
                        .description("Requests whose acting master failed, by why and when (before the reply's head, or mid-body: a splice was tried); each rolled forward to the backups (requests_total{outcome} tells whether a backup served it)")
                        .tag("cause", cause.tag()).tag("phase", mid == 1 ? "mid_body" : "before_head").register(registry);
            }
        }
        for (UncoveredReason reason : UncoveredReason.values()) {
            uncovered[reason.ordinal()] = Counter.builder("rollforward.uncovered")
                    .description("Replies whose head went out and whose body could not be completed (client connection closed), by why")
                    .tag("reason", reason.tag()).register(registry);
        }
        splices = Counter.builder("rollforward.splices")
                .description("Client replies continued from a backup at the byte offset already sent (the client saw nothing)")
                .register(registry);
        quarantined = Counter.builder("rollforward.quarantined")
                .description("Requests refused, or canaries failed, by the query-of-death guard")
                .register(registry);
        for (DivergenceKind kind : KINDS) {
            divergences[kind.ordinal()] = Counter.builder("rollforward.divergences")
                    .description("Replies of another replica that differed from the reply sent to the client")
                    .tag("kind", kind.tag()).register(registry);
        }
        Gauge.builder("rollforward.inflight.requests", inflight, LongAdder::sum)
                .description("Client requests being served now").register(registry);
        heartbeatRejected = new ReasonCounters(registry, "rollforward.heartbeat.rejected",
                "Heartbeat packets dropped, by why", HEARTBEAT_REJECT_REASONS);
        clientRejected = new ReasonCounters(registry, "rollforward.client.rejected",
                "Client requests or connections refused at the front, by why", CLIENT_REJECT_REASONS);
        for (String role : ROLES) {
            roleGauge(role);
        }
        roles.get(NONE).set(1);
        Gauge.builder("rollforward.vip.owned", vipOwned, AtomicInteger::get)
                .description("1 while this node holds the virtual IP, else 0").register(registry);
        bindJvmAndNetty();
    }

    private void bindJvmAndNetty() {
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        // Netty 4.2's default allocator is the adaptive one, not PooledByteBufAllocator.DEFAULT.
        if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT
                && ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
    }

    private static void checkNames(List<String> names) {
        Objects.requireNonNull(names, "replicaNames");
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("replicas: '" + name + "' (expected: a non-blank name)");
            }
            if (NONE.equals(name)) {
                throw new IllegalArgumentException("replicas: " + name + " (expected: not '" + NONE
                        + "', which is the served_by tag of failed requests)");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("replicas: " + name + " (expected: distinct names)");
            }
        }
    }

    /** {@code rollforward_requests_total{served_by, outcome}}; {@code servedBy} is a replica or {@value #NONE}. */
    public void requestCompleted(String servedBy, Outcome outcome) {
        Counter counter = NONE.equals(servedBy)
                ? unservedRequests[outcome.ordinal()]
                : replica(servedBy).requests[outcome.ordinal()];
        counter.increment();
    }

    /** {@code rollforward_rollforwards_total{cause, phase}}. */
    @Override
    public void rolledForward(FailureCause cause, boolean midBody) {
        rollforwards[cause.ordinal() * 2 + (midBody ? 1 : 0)].increment();
    }

    /** {@code rollforward_splices_total}. */
    @Override
    public void spliced() {
        splices.increment();
    }

    /** {@code rollforward_quarantined_total}. */
    @Override
    public void quarantined() {
        quarantined.increment();
    }

    /** {@code rollforward_buffered_bytes}: what the exchanges hold now, against its limit. */
    public void bufferBudget(io.rollforward.proxy.exchange.BufferBudget budget) {
        Gauge.builder("rollforward.buffered.bytes", budget, io.rollforward.proxy.exchange.BufferBudget::used)
                .description("Bytes the proxy holds for exchanges now (splice windows and request bodies)")
                .baseUnit("bytes").register(registry);
        Gauge.builder("rollforward.buffered.limit.bytes", budget, io.rollforward.proxy.exchange.BufferBudget::limit)
                .description("limits.max-buffered-total in effect").baseUnit("bytes").register(registry);
    }

    /** {@code rollforward_replica_latency_seconds{replica}}: time from dispatch to the replica's full reply. */
    public void replicaLatency(String replica, long nanos) {
        replica(replica).latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * {@code rollforward_replica_up{replica}} and, when the state changes,
     * {@code rollforward_replica_state_changes_total{replica, to}}. The first report of a replica
     * sets its state without counting a change (it was unknown, not down).
     */
    public void replicaState(String replica, boolean up) {
        replica(replica).state(up);
    }

    /** {@code rollforward_divergences_total{kind}}. */
    public void divergence(DivergenceKind kind) {
        divergences[kind.ordinal()].increment();
    }

    /** {@code rollforward_uncovered_total{reason}}. */
    @Override
    public void uncovered(UncoveredReason reason) {
        uncovered[reason.ordinal()].increment();
    }

    /** {@code rollforward_inflight_requests} + 1. */
    public void inflightIncrement() {
        inflight.increment();
    }

    /** {@code rollforward_inflight_requests} - 1. */
    public void inflightDecrement() {
        inflight.decrement();
    }

    /** {@code rollforward_heartbeat_rejected_total{reason}}; see {@link #HEARTBEAT_REJECT_REASONS}. */
    public void heartbeatRejected(String reason) {
        heartbeatRejected.increment(reason);
    }

    /** {@code rollforward_client_rejected_total{reason}}; see {@link #CLIENT_REJECT_REASONS}. */
    public void clientRejected(String reason) {
        clientRejected.increment(reason);
    }

    /**
     * {@code rollforward_heartbeat_link_up{peer, link}}. Links are not known here up front: call this
     * with {@code up = false} for each configured link at start so its series exists from then on.
     */
    public void heartbeatLinkUp(String peer, String link, boolean up) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(link, "link");
        AtomicInteger value = heartbeatLinks.computeIfAbsent(peer + '\u0000' + link, key -> {
            AtomicInteger state = new AtomicInteger();
            Gauge.builder("rollforward.heartbeat.link.up", state, AtomicInteger::get)
                    .description("1 while heartbeats from the peer arrive on this link within deadtime, else 0")
                    .tag("peer", peer).tag("link", link).register(registry);
            return state;
        });
        value.set(up ? 1 : 0);
    }

    /**
     * {@code rollforward_role{role}}: 1 for {@code role}, 0 for the others. Until the first call the
     * role is {@value #NONE} (no cluster configured, or not started yet).
     */
    public synchronized void role(String role) {
        String current = Objects.requireNonNull(role, "role").toLowerCase(Locale.ROOT);
        roleGauge(current);
        roles.forEach((name, value) -> value.set(name.equals(current) ? 1 : 0));
    }

    /** {@code rollforward_vip_owned}: 1 while this node holds the VIP. */
    public void vipOwned(boolean owned) {
        vipOwned.set(owned ? 1 : 0);
    }

    /** The whole registry in the Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    /** The registry the meters live on, to add meters of other parts of the app. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Stops the GC notification listener; the meters stay registered. */
    @Override
    public void close() {
        gcMetrics.close();
    }

    private void roleGauge(String role) {
        roles.computeIfAbsent(role, name -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("rollforward.role", value, AtomicInteger::get)
                    .description("1 for the HA role this node is in now, 0 for the others")
                    .tag("role", name).register(registry);
            return value;
        });
    }

    /**
     * A reload retired {@code replica} and its last exchanges are over: its series leave the
     * scrape. A replica of that name added again later starts from zero.
     */
    public void removeReplica(String replica) {
        ReplicaMeters meters = replicas.remove(replica);
        if (meters != null) {
            meters.remove(registry);
        }
    }

    private ReplicaMeters replica(String name) {
        ReplicaMeters meters = replicas.get(name);
        if (meters == null) {
            // Not configured at start (e.g. added by a reload): register it once, then it is a plain lookup.
            meters = replicas.computeIfAbsent(Objects.requireNonNull(name, "replica"), replicaFactory::create);
        }
        return meters;
    }
}
