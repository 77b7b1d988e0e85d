package io.rollforward.config.internal;

import io.rollforward.config.AccessLogConfig;
import io.rollforward.config.AdminConfig;
import io.rollforward.config.AgentsConfig;
import io.rollforward.config.ClusterConfig;
import io.rollforward.config.DivergenceConfig;
import io.rollforward.config.DurationValue;
import io.rollforward.config.ForwardedConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.Limits;
import io.rollforward.config.QueryOfDeathConfig;
import io.rollforward.config.OrderingConfig;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RingConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.config.Scheduling;
import io.rollforward.config.Timing;
import io.rollforward.config.TlsConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the proxy's file ({@code rollforward.yaml}) from its root mapping. */
public final class ProxyFileReader {
    private static final HostPort NO_ADDRESS = new HostPort("invalid", 0);
    private static final HostPort AGENTS_LISTEN = new HostPort("0.0.0.0", 694);
    private static final int DEFAULT_EJECT_AFTER = 5;
    private static final Duration DEFAULT_DIVERGENCE_LOG_INTERVAL = Duration.ofSeconds(10);
    private static final ScalarType<String> CLUSTER_MODE = new ScalarType<>("pair or ring", text -> {
        if (!text.equals("pair") && !text.equals("ring")) {
            throw new IllegalArgumentException(text);
        }
        return text;
    });

    private ProxyFileReader() {
    }

    /** Reads every setting, reporting problems to {@code root.problems()}; the result is only valid if none. */
    public static RollforwardConfig read(Section root, Path baseDir) {
        // With tls the plain-HTTP front is optional: an HTTPS-only site has none.
        Optional<HostPort> listen = root.has("tls") ? root.optional("listen", ScalarType.LISTEN_ADDRESS)
                : root.has("listen") ? root.optional("listen", ScalarType.LISTEN_ADDRESS).or(() -> Optional.of(NO_ADDRESS))
                : missingListen(root);
        boolean ordered = root.has("ordering");
        Scheduling scheduling = GroupReader.read(root, root.has("agents"), ordered);
        Duration stagger = root.duration("stagger", Duration.ZERO);
        Duration perRequestTimeout = root.positive("per-request-timeout", RollforwardConfig.DEFAULT_PER_REQUEST_TIMEOUT);
        if (root.ok("per-request-timeout")) {
            // A copy sent after the master's deadline could never be used for a roll-forward.
            root.rule("stagger", stagger.compareTo(perRequestTimeout) < 0,
                    "< per-request-timeout " + DurationValue.format(perRequestTimeout));
        }
        Set<Integer> failOnStatus = root.list("fail-on-status", ScalarType.HTTP_STATUS)
                .<Set<Integer>>map(LinkedHashSet::new).orElse(RollforwardConfig.DEFAULT_FAIL_ON_STATUS);
        Optional<String> servedByHeader = servedByHeader(root);
        boolean mirror = root.get("mirror", ScalarType.BOOLEAN, true);
        boolean holdBackPoison = root.get("hold-back-poison", ScalarType.BOOLEAN, true);
        int ejectAfter = root.atLeast("eject-after", 0, DEFAULT_EJECT_AFTER);
        Duration ejectionTime = root.positive("ejection-time", RollforwardConfig.DEFAULT_EJECTION_TIME);
        Duration replyIdleTimeout = root.positive("reply-idle-timeout", RollforwardConfig.DEFAULT_REPLY_IDLE_TIMEOUT);
        Optional<Duration> maxReplyDuration = offOrPositive(root, "max-reply-duration");
        QueryOfDeathConfig queryOfDeath = queryOfDeath(root);
        Duration divergenceLogInterval = root.positive("divergence-log-interval", DEFAULT_DIVERGENCE_LOG_INTERVAL);
        Limits limits = root.section("limits", "a mapping of limits: {max-request-body: 10MiB, ...}")
                .map(LimitsReader::read).orElse(Limits.DEFAULT);
        Optional<Section> adminSection = root.section("admin", "{listen: 127.0.0.1:9901, token-file: admin.token}");
        AdminConfig admin = adminSection.map(section -> admin(section, baseDir)).orElse(AdminConfig.DEFAULT);
        Optional<Section> agentsSection = root.section("agents", "{listen: 0.0.0.0:694, key-file: authkey}");
        Optional<AgentsConfig> agents = agentsSection.map(section -> agents(section, baseDir));
        Optional<Section> clusterSection = root.section("cluster", "{node: a, peer: b, key-file: authkey, udp: {...}}");
        // One section, two shapes: the pair's (peer, udp, ...) or the ring's (members, vips, ...).
        boolean ring = clusterSection.map(s -> s.get("mode", CLUSTER_MODE, "pair")).orElse("pair").equals("ring");
        // An unknown mode is the one error: the rest would be judged against the wrong shape.
        Optional<Section> readable = clusterSection.filter(s -> s.ok("mode"));
        Optional<ClusterConfig> cluster = readable.filter(s -> !ring).map(s -> ClusterReader.read(s, baseDir));
        Optional<RingConfig> ringConfig = readable.filter(s -> ring).map(s -> RingReader.read(s, baseDir));
        Optional<TlsConfig> tls = root.section("tls", "{listen: 0.0.0.0:443, certificates: [...]}")
                .map(section -> TlsReader.read(section, baseDir));
        Duration shutdownTimeout = root.positive("shutdown-timeout", RollforwardConfig.DEFAULT_SHUTDOWN_TIMEOUT);
        if (listen.isEmpty() && tls.isEmpty()) {
            listen = Optional.of(NO_ADDRESS); // the tls section had errors, reported already
        }
        listen.ifPresent(plain -> tlsPortClash(root, plain, tls));
        Optional<String> nodeName = root.optional("node-name", ScalarType.NAME);
        ForwardedConfig forwarded = root.section("forwarded", "{trusted-proxies: [10.0.0.0/8]}")
                .map(ForwardedReader::read).orElse(ForwardedConfig.DEFAULT);
        AccessLogConfig accessLog = root.section("access-log", "{path: /var/log/rollforward/access.log, format: combined}")
                .map(section -> AccessLogReader.read(section, baseDir)).orElse(AccessLogConfig.OFF);
        Optional<OrderingConfig> ordering = root.section("ordering", "{methods: [POST, PUT], key: service, reads: free}")
                .map(OrderingReader::read);
        // Pass-through sends a write to one replica only: there is no order across replicas to keep.
        root.rule("mirror", mirror || ordering.isEmpty(), "true with 'ordering': pass-through runs writes on one replica");
        DivergenceConfig divergence = root.section("divergence",
                        "{compare-headers: [Content-Type], ignore-body: ['\"ts\":[0-9]+'], on-write: log}")
                .map(section -> DivergenceReader.read(section, ordered)).orElse(DivergenceConfig.DEFAULT);
        Optional<HostPort> plainListen = listen;
        plainListen.ifPresent(plain -> {
            adminPortClash(root, plain, adminSection, admin);
            SelfLoop.check(root, plain);
        });
        agentsPortClash(agentsSection, agents, cluster);
        root.finish();
        return new RollforwardConfig(listen, scheduling.allReplicas(), stagger, perRequestTimeout, failOnStatus, limits,
                servedByHeader, mirror, holdBackPoison, ejectAfter, ejectionTime, divergenceLogInterval, admin, agents,
                cluster, replyIdleTimeout, maxReplyDuration, queryOfDeath, tls, shutdownTimeout, scheduling,
                nodeName, forwarded, accessLog, ordering, divergence, ringConfig);
    }

    /** {@code off} (the default) or a duration &gt; 0. */
    private static Optional<Duration> offOrPositive(Section root, String key) {
        Optional<String> text = root.optional(key, ScalarType.STRING);
        if (text.isEmpty() || text.get().equalsIgnoreCase("off")) {
            return Optional.empty();
        }
        return Optional.of(root.positive(key, Duration.ZERO));
    }

    /** {@code query-of-death: off}, or a mapping of its settings. */
    private static QueryOfDeathConfig queryOfDeath(Section root) {
        Optional<org.yaml.snakeyaml.nodes.Node> node = root.node("query-of-death");
        if (node.isEmpty()) {
            return QueryOfDeathConfig.DEFAULT;
        }
        if (node.get() instanceof org.yaml.snakeyaml.nodes.ScalarNode) {
            boolean on = root.get("query-of-death", ScalarType.BOOLEAN, true);
            return on ? QueryOfDeathConfig.DEFAULT : QueryOfDeathConfig.OFF;
        }
        QueryOfDeathConfig d = QueryOfDeathConfig.DEFAULT;
        return root.section("query-of-death", "off, or {signature: method-path, quarantine-time: 30s, ...}").map(q -> {
            boolean enabled = q.get("enabled", ScalarType.BOOLEAN, true);
            String signature = q.get("signature", ScalarType.STRING, "method-path");
            q.rule("signature", signature.equals("method-path") || signature.equals("method-path-body"),
                    "method-path or method-path-body");
            int maxEntries = q.atLeast("max-entries", 1, d.maxEntries());
            Duration rememberFor = q.positive("remember-for", d.rememberFor());
            Duration quarantineTime = q.positive("quarantine-time", d.quarantineTime());
            q.finish();
            return new QueryOfDeathConfig(enabled, signature.equals("method-path-body"), maxEntries, rememberFor,
                    quarantineTime);
        }).orElse(d);
    }

    private static Optional<HostPort> missingListen(Section root) {
        root.missing("listen", ScalarType.LISTEN_ADDRESS.expected() + ", or a tls section with its own listen");
        return Optional.of(NO_ADDRESS);
    }

    /** The plain and the TLS listener are both TCP. */
    private static void tlsPortClash(Section root, HostPort listen, Optional<TlsConfig> tls) {
        if (tls.isEmpty() || !root.ok("listen") || root.problems().failed("tls.listen")
                || !PortClash.between(listen, tls.get().listen())) {
            return;
        }
        root.rule("listen", false, "a port other than tls.listen " + tls.get().listen() + ", both are TCP");
    }

    /** The client and admin ports are both TCP: one port cannot serve both. */
    private static void adminPortClash(Section root, HostPort listen, Optional<Section> adminSection, AdminConfig admin) {
        if (!root.ok("listen") || root.problems().failed("admin.listen") || !PortClash.between(listen, admin.listen())) {
            return;
        }
        // Reported where the operator wrote the second of the two.
        if (adminSection.isPresent() && adminSection.get().has("listen")) {
            adminSection.get().rule("listen", false, "a port other than listen " + listen + ", both are TCP");
        } else {
            root.rule("listen", false, "a port other than admin.listen " + admin.listen() + ", both are TCP");
        }
    }

    /** The agents' heartbeats and the pair's are both UDP, on separate sockets with separate keys. */
    private static void agentsPortClash(Optional<Section> agentsSection, Optional<AgentsConfig> agents,
                                        Optional<ClusterConfig> cluster) {
        if (agentsSection.isEmpty() || agents.isEmpty() || cluster.isEmpty()) {
            return;
        }
        Section section = agentsSection.get();
        Problems problems = section.problems();
        if (problems.failed("agents.listen") || problems.failed("cluster.udp.port") || problems.failed("cluster.udp.bind")) {
            return;
        }
        HostPort heartbeat = new HostPort(cluster.get().udp().bind(), cluster.get().udp().port());
        if (PortClash.between(agents.get().listen(), heartbeat)) {
            problems.report(section.markOf("listen"), "agents.listen", agents.get().listen()
                    + " (expected: a port other than cluster.udp.port " + heartbeat.port() + ", both are UDP)");
        }
    }

    /** {@code served-by-header: X-Name}, or {@code false}/{@code off} for none; {@code true} keeps the default. */
    private static Optional<String> servedByHeader(Section root) {
        Optional<String> text = root.optional("served-by-header", ScalarType.HEADER_NAME);
        if (text.isEmpty()) {
            return Optional.of(RollforwardConfig.DEFAULT_SERVED_BY_HEADER);
        }
        return switch (text.get().toLowerCase(java.util.Locale.ROOT)) {
            case "false", "off", "no" -> Optional.empty();
            case "true", "on", "yes" -> Optional.of(RollforwardConfig.DEFAULT_SERVED_BY_HEADER);
            default -> text;
        };
    }

    private static AdminConfig admin(Section admin, Path baseDir) {
        HostPort listen = admin.get("listen", ScalarType.LISTEN_ADDRESS, AdminConfig.DEFAULT.listen());
        Optional<Path> tokenFile = admin.optional("token-file", ScalarType.file(baseDir));
        admin.finish();
        return new AdminConfig(listen, tokenFile);
    }

    private static AgentsConfig agents(Section agents, Path baseDir) {
        HostPort listen = agents.get("listen", ScalarType.LISTEN_ADDRESS, AGENTS_LISTEN);
        Path keyFile = agents.required("key-file", ScalarType.file(baseDir)).orElse(Path.of(""));
        Timing timing = TimingReader.read(agents);
        agents.finish();
        return new AgentsConfig(listen, keyFile, timing);
    }
}
