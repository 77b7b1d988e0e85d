package io.rollforward.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The whole proxy configuration, immutable and validated ({@link ConfigLoader} builds it from
 * YAML).
 *
 * @param listen            where clients connect over plain HTTP; optional when {@code tls} is set
 *                          (then there is no plain-HTTP front)
 * @param replicas          two or more, in priority order; the first UP one is the acting master
 * @param stagger           the backup copies are sent this long after the master's (default 0)
 * @param perRequestTimeout a replica whose reply head has not arrived by then failed this request
 *                          (default 5s)
 * @param replyIdleTimeout  a reply body that stalls (no byte) this long fails that replica (default 30s)
 * @param maxReplyDuration  a cap on a whole reply, body included; empty = none (default off)
 * @param failOnStatus      a master reply with one of these statuses rolls forward
 *                          (default 502, 503, 504)
 * @param limits            request, header and buffer bounds
 * @param servedByHeader    header naming the replica that served the reply; empty = off
 *                          (default {@code X-Served-By})
 * @param mirror            true: every replica in service runs every request (roll-forward);
 *                          false: pass-through, only the acting master gets the request and a
 *                          backup gets it only when the master failed (re-executed there, like a
 *                          classic failover proxy) (default true)
 * @param holdBackPoison    when the master's connection dies on a request whose backup copy is
 *                          still staggered, do not send it to the backup (query-of-death guard,
 *                          default true)
 * @param ejectAfter        consecutive request failures that mark a replica DOWN (passive check);
 *                          0 = off (default 5)
 * @param ejectionTime      how long a passively ejected replica with no active check stays out
 *                          (one with a check comes back after {@code rise} good checks) (default 10s)
 * @param divergenceLogInterval at most one divergence sample line per this interval (default 10s)
 * @param admin             the admin port
 * @param agents            heartbeat receiver for replica agents, if any
 * @param cluster           HA pair settings, if any
 * @param queryOfDeath      the canary / quarantine guard against requests that kill every replica
 *                          (default on)
 * @param tls               the HTTPS listener (HTTP/2 and HTTP/1.1 over TLS), if any
 * @param shutdownTimeout   on SIGTERM, how long requests in flight may take to finish before the
 *                          proxy stops anyway (default 30s)
 * @param scheduling        the replica groups and how requests are spread over them; {@code replicas}
 *                          is then every group's replicas (default one group of {@code replicas}, wlc)
 * @param nodeName          this proxy's name in the {@code Via} header it adds and checks for loops
 *                          (default {@code cluster.node}, else the host name)
 * @param forwarded         whose {@code X-Forwarded-*} headers are believed (default nobody's)
 * @param accessLog         one line per request (default off)
 * @param ordering          one order of writes on every replica, when set (default off)
 * @param divergence        what counts as replies differing and what a differing write does
 *                          (default: status and body, log only)
 * @param ring              N-way cluster settings, if any ({@code cluster} with {@code mode: ring})
 */
public record RollforwardConfig(Optional<HostPort> listen, List<ReplicaConfig> replicas, Duration stagger,
                                Duration perRequestTimeout, Set<Integer> failOnStatus, Limits limits,
                                Optional<String> servedByHeader, boolean mirror, boolean holdBackPoison,
                                int ejectAfter, Duration ejectionTime, Duration divergenceLogInterval, AdminConfig admin,
                                Optional<AgentsConfig> agents, Optional<ClusterConfig> cluster,
                                Duration replyIdleTimeout, Optional<Duration> maxReplyDuration,
                                QueryOfDeathConfig queryOfDeath, Optional<TlsConfig> tls, Duration shutdownTimeout,
                                Scheduling scheduling, Optional<String> nodeName, ForwardedConfig forwarded,
                                AccessLogConfig accessLog, Optional<OrderingConfig> ordering,
                                DivergenceConfig divergence, Optional<RingConfig> ring) {

    public static final Duration DEFAULT_PER_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final Set<Integer> DEFAULT_FAIL_ON_STATUS = Set.of(502, 503, 504);
    public static final String DEFAULT_SERVED_BY_HEADER = "X-Served-By";
    public static final Duration DEFAULT_EJECTION_TIME = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REPLY_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    public RollforwardConfig {
        replicas = List.copyOf(replicas);
        failOnStatus = Set.copyOf(failOnStatus);
        servedByHeader = servedByHeader == null ? Optional.empty() : servedByHeader;
        agents = agents == null ? Optional.empty() : agents;
        cluster = cluster == null ? Optional.empty() : cluster;
        maxReplyDuration = maxReplyDuration == null ? Optional.empty() : maxReplyDuration;
        replyIdleTimeout = replyIdleTimeout == null ? DEFAULT_REPLY_IDLE_TIMEOUT : replyIdleTimeout;
        queryOfDeath = queryOfDeath == null ? QueryOfDeathConfig.DEFAULT : queryOfDeath;
        tls = tls == null ? Optional.empty() : tls;
        listen = listen == null ? Optional.empty() : listen;
        if (listen.isEmpty() && tls.isEmpty()) {
            throw new IllegalArgumentException("listen: missing (expected: set, or a tls section with its listen)");
        }
        shutdownTimeout = shutdownTimeout == null ? DEFAULT_SHUTDOWN_TIMEOUT : shutdownTimeout;
        scheduling = scheduling == null ? Scheduling.oneGroup(replicas) : scheduling;
        replicas = scheduling.allReplicas();
        nodeName = nodeName == null ? Optional.empty() : nodeName;
        forwarded = forwarded == null ? ForwardedConfig.DEFAULT : forwarded;
        accessLog = accessLog == null ? AccessLogConfig.OFF : accessLog;
        ordering = ordering == null ? Optional.empty() : ordering;
        divergence = divergence == null ? DivergenceConfig.DEFAULT : divergence;
        ring = ring == null ? Optional.empty() : ring;
    }

    /** One group of {@code replicas} with the default scheduler. */
    public RollforwardConfig(HostPort listen, List<ReplicaConfig> replicas, Duration stagger,
                             Duration perRequestTimeout, Set<Integer> failOnStatus, Limits limits,
                             Optional<String> servedByHeader, boolean mirror, boolean holdBackPoison,
                             int ejectAfter, Duration ejectionTime, Duration divergenceLogInterval, AdminConfig admin,
                             Optional<AgentsConfig> agents, Optional<ClusterConfig> cluster) {
        this(Optional.of(listen), replicas, stagger, perRequestTimeout, failOnStatus, limits, servedByHeader, mirror,
                holdBackPoison, ejectAfter, ejectionTime, divergenceLogInterval, admin, agents, cluster, null, null, null,
                null, null, null, null, null, null, null, null, null);
    }

    /** Defaults for everything but {@code listen} and {@code replicas}; for tests and the demo. */
    public static RollforwardConfig of(HostPort listen, List<ReplicaConfig> replicas) {
        return new Builder(listen, replicas).build();
    }

    /** A builder holding this config's values, to change a few of them. */
    public Builder toBuilder() {
        Builder b = new Builder(HostPort.of("127.0.0.1", 0), replicas);
        b.listen = listen;
        b.stagger = stagger;
        b.perRequestTimeout = perRequestTimeout;
        b.failOnStatus = failOnStatus;
        b.limits = limits;
        b.servedByHeader = servedByHeader;
        b.mirror = mirror;
        b.holdBackPoison = holdBackPoison;
        b.ejectAfter = ejectAfter;
        b.ejectionTime = ejectionTime;
        b.divergenceLogInterval = divergenceLogInterval;
        b.admin = admin;
        b.agents = agents;
        b.cluster = cluster;
        b.replyIdleTimeout = replyIdleTimeout;
        b.maxReplyDuration = maxReplyDuration;
        b.queryOfDeath = queryOfDeath;
        b.tls = tls;
        b.shutdownTimeout = shutdownTimeout;
        b.scheduling = scheduling;
        b.nodeName = nodeName;
        b.forwarded = forwarded;
        b.accessLog = accessLog;
        b.ordering = ordering;
        b.divergence = divergence;
        b.ring = ring;
        return b;
    }

    public RollforwardConfig withStagger(Duration value) {
        return toBuilder().stagger(value).build();
    }

    public RollforwardConfig withPerRequestTimeout(Duration value) {
        return toBuilder().perRequestTimeout(value).build();
    }

    public RollforwardConfig withLimits(Limits value) {
        return toBuilder().limits(value).build();
    }

    public RollforwardConfig withAdmin(AdminConfig value) {
        return toBuilder().admin(value).build();
    }

    public RollforwardConfig withReplicas(List<ReplicaConfig> value) {
        return toBuilder().replicas(value).build();
    }

    public RollforwardConfig withEjectAfter(int value) {
        return toBuilder().ejectAfter(value).build();
    }

    public RollforwardConfig withEjectionTime(Duration value) {
        return toBuilder().ejectionTime(value).build();
    }

    public RollforwardConfig withMirror(boolean value) {
        return toBuilder().mirror(value).build();
    }

    public RollforwardConfig withQueryOfDeath(QueryOfDeathConfig value) {
        return toBuilder().queryOfDeath(value).build();
    }

    public RollforwardConfig withReplyIdleTimeout(Duration value) {
        return toBuilder().replyIdleTimeout(value).build();
    }

    public RollforwardConfig withAgents(AgentsConfig value) {
        return toBuilder().agents(Optional.of(value)).build();
    }

    public RollforwardConfig withScheduling(Scheduling value) {
        return toBuilder().scheduling(value).build();
    }

    public RollforwardConfig withCluster(ClusterConfig value) {
        return toBuilder().cluster(Optional.of(value)).build();
    }

    public RollforwardConfig withTls(TlsConfig value) {
        return toBuilder().tls(Optional.of(value)).build();
    }

    public RollforwardConfig withShutdownTimeout(Duration value) {
        return toBuilder().shutdownTimeout(value).build();
    }

    public RollforwardConfig withNodeName(String value) {
        return toBuilder().nodeName(Optional.of(value)).build();
    }

    public RollforwardConfig withForwarded(ForwardedConfig value) {
        return toBuilder().forwarded(value).build();
    }

    public RollforwardConfig withAccessLog(AccessLogConfig value) {
        return toBuilder().accessLog(value).build();
    }

    public RollforwardConfig withOrdering(OrderingConfig value) {
        return toBuilder().ordering(Optional.of(value)).build();
    }

    public RollforwardConfig withDivergence(DivergenceConfig value) {
        return toBuilder().divergence(value).build();
    }

    public RollforwardConfig withRing(RingConfig value) {
        return toBuilder().ring(Optional.of(value)).build();
    }

    /** Every value starts at its default; {@link ConfigLoader} validates what it sets. */
    public static final class Builder {
        private Optional<HostPort> listen;
        private List<ReplicaConfig> replicas;
        private Duration stagger = Duration.ZERO;
        private Duration perRequestTimeout = DEFAULT_PER_REQUEST_TIMEOUT;
        private Set<Integer> failOnStatus = DEFAULT_FAIL_ON_STATUS;
        private Limits limits = Limits.DEFAULT;
        private Optional<String> servedByHeader = Optional.of(DEFAULT_SERVED_BY_HEADER);
        private boolean mirror = true;
        private boolean holdBackPoison = true;
        private int ejectAfter = 5;
        private Duration ejectionTime = DEFAULT_EJECTION_TIME;
        private Duration divergenceLogInterval = Duration.ofSeconds(10);
        private AdminConfig admin = AdminConfig.DEFAULT;
        private Optional<AgentsConfig> agents = Optional.empty();
        private Optional<ClusterConfig> cluster = Optional.empty();
        private Duration replyIdleTimeout = DEFAULT_REPLY_IDLE_TIMEOUT;
        private Optional<Duration> maxReplyDuration = Optional.empty();
        private QueryOfDeathConfig queryOfDeath = QueryOfDeathConfig.DEFAULT;
        private Optional<TlsConfig> tls = Optional.empty();
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Scheduling scheduling;
        private Optional<String> nodeName = Optional.empty();
        private ForwardedConfig forwarded = ForwardedConfig.DEFAULT;
        private AccessLogConfig accessLog = AccessLogConfig.OFF;
        private Optional<OrderingConfig> ordering = Optional.empty();
        private DivergenceConfig divergence = DivergenceConfig.DEFAULT;
        private Optional<RingConfig> ring = Optional.empty();

        public Builder(HostPort listen, List<ReplicaConfig> replicas) {
            this.listen = Optional.of(listen);
            this.replicas = replicas;
        }

        /** The plain-HTTP listener; empty (only with {@code tls}) for an HTTPS-only proxy. */
        public Builder listen(Optional<HostPort> value) { listen = value; return this; }

        /** One group of these replicas, replacing any groups. */
        public Builder replicas(List<ReplicaConfig> value) { replicas = value; scheduling = null; return this; }
        public Builder scheduling(Scheduling value) { scheduling = value; replicas = value.allReplicas(); return this; }
        public Builder stagger(Duration value) { stagger = value; return this; }
        public Builder perRequestTimeout(Duration value) { perRequestTimeout = value; return this; }
        public Builder failOnStatus(Set<Integer> value) { failOnStatus = value; return this; }
        public Builder limits(Limits value) { limits = value; return this; }
        public Builder servedByHeader(Optional<String> value) { servedByHeader = value; return this; }
        public Builder mirror(boolean value) { mirror = value; return this; }
        public Builder holdBackPoison(boolean value) { holdBackPoison = value; return this; }
        public Builder ejectAfter(int value) { ejectAfter = value; return this; }
        public Builder ejectionTime(Duration value) { ejectionTime = value; return this; }
        public Builder divergenceLogInterval(Duration value) { divergenceLogInterval = value; return this; }
        public Builder admin(AdminConfig value) { admin = value; return this; }
        public Builder agents(Optional<AgentsConfig> value) { agents = value; return this; }
        public Builder cluster(Optional<ClusterConfig> value) { cluster = value; return this; }
        public Builder replyIdleTimeout(Duration value) { replyIdleTimeout = value; return this; }
        public Builder maxReplyDuration(Optional<Duration> value) { maxReplyDuration = value; return this; }
        public Builder queryOfDeath(QueryOfDeathConfig value) { queryOfDeath = value; return this; }
        public Builder tls(Optional<TlsConfig> value) { tls = value; return this; }
        public Builder shutdownTimeout(Duration value) { shutdownTimeout = value; return this; }
        public Builder nodeName(Optional<String> value) { nodeName = value; return this; }
        public Builder forwarded(ForwardedConfig value) { forwarded = value; return this; }
        public Builder accessLog(AccessLogConfig value) { accessLog = value; return this; }
        public Builder ordering(Optional<OrderingConfig> value) { ordering = value; return this; }
        public Builder divergence(DivergenceConfig value) { divergence = value; return this; }
        public Builder ring(Optional<RingConfig> value) { ring = value; return this; }

        public RollforwardConfig build() {
            return new RollforwardConfig(listen, replicas, stagger, perRequestTimeout, failOnStatus, limits,
                    servedByHeader, mirror, holdBackPoison, ejectAfter, ejectionTime, divergenceLogInterval, admin, agents,
                    cluster, replyIdleTimeout, maxReplyDuration, queryOfDeath, tls, shutdownTimeout, scheduling,
                    nodeName, forwarded, accessLog, ordering, divergence, ring);
        }
    }
}
