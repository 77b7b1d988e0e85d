package io.rollforward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading good files: every key read into the records, and the defaults of the ones left out. */
class ConfigLoaderTest {
    private static final Path DIR = Path.of("/etc/rollforward");

    static final String FULL = """
            listen: 0.0.0.0:8080
            replicas:
              - name: web1
                url: http://10.0.0.11:80
                agent: web1
                check:
                  request: /.testpage
                  expect-status: 204
                  receive: "test page"
                  interval: 3s
                  timeout: 1500ms
                  rise: 4
                  fall: 5
                  host: www.example
                rejoin: manual
              - name: web2
                url: http://[2001:db8::12]:8081/
                rejoin: {hook: [/usr/local/bin/resync, web2], timeout: 90s}
              - name: web3.b_c-d
                url: http://web3.example:80
                rejoin: manual
            stagger: 20ms
            per-request-timeout: 4s
            fail-on-status: [500, 503]
            served-by-header: X-Replica
            hold-back-poison: false
            eject-after: 0
            ejection-time: 30s
            divergence-log-interval: 1m
            shutdown-timeout: 45s
            limits: {max-request-body: 1MiB, max-header-size: 8KiB, max-initial-line-length: 4096,
                     max-response-buffer: 2MB, header-read-timeout: 5s, idle-timeout: 2m, max-connections: 100,
                     replica-pool-size: 8, replica-idle-timeout: 15s, connect-timeout: 500ms,
                     splice-window: 128KiB, max-buffered-total: 64MiB, max-response-header-size: 32KiB,
                     max-queued-writes: 500, max-queued-writes-per-key: 50, max-compare-body: 16KiB}
            reply-idle-timeout: 20s
            max-reply-duration: 10m
            query-of-death: {signature: method-path-body, max-entries: 500, remember-for: 2m, quarantine-time: 45s}
            ordering: {methods: [POST, PUT], key: "header:X-Tenant", reads: after-writes}
            divergence: {compare-headers: [Content-Type, Location], ignore-body: ['"ts":[0-9]+'], on-write: eject}
            admin: {listen: "[::1]:9902", token-file: admin.token}
            agents: {listen: 0.0.0.0:695, key-file: /secrets/agents.key, keepalive: 200ms, warntime: 1s, deadtime: 2s, initdead: 6s}
            cluster:
              mode: pair
              node: proxy-a
              peer: proxy-b
              key-file: cluster.key
              keepalive: 500ms
              warntime: 2s
              deadtime: 4s
              initdead: 4s
              udp: {mode: mcast, peers: [], port: 696, bind: 10.1.0.1, group: 239.0.0.1, ttl: 2, interface: eth1}
              serial: {device: /dev/ttyS1, baud: 115200}
              vip: {address: 10.1.0.100/24, interface: eth0, garp: {count: 3, interval: 100ms, second-burst-delay: 2s, refresh: 1m}}
              preferred: proxy-b
              auto-failback: true
              ping-nodes: [10.1.0.254, gw.example]
              notify: {active: [/bin/notify, active], standby: [/bin/notify, standby], leaving: [], timeout: 5s}
            node-name: edge-a
            forwarded: {trusted-proxies: [10.2.0.0/16, "2001:db8::/32", 192.0.2.7]}
            access-log: {path: logs/access.log, format: json}
            """;

    private static CidrBlock cidr(String address, int prefix) {
        try {
            return new CidrBlock(java.net.InetAddress.getByName(address), prefix); // literals: no lookup
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fullFileReadsEveryKey() throws ConfigException {
        RollforwardConfig config = ConfigLoader.parse(FULL, "/etc/rollforward/rollforward.yaml");

        RollforwardConfig expected = new RollforwardConfig(
                Optional.of(new HostPort("0.0.0.0", 8080)),
                List.of(new ReplicaConfig("web1", new HostPort("10.0.0.11", 80),
                                Optional.of(new CheckConfig("/.testpage", 204, Optional.of("test page"),
                                        Duration.ofSeconds(3), Duration.ofMillis(1500), 4, 5, Optional.of("www.example"))),
                                Optional.of("web1"),
                                new RejoinConfig(RejoinConfig.Policy.MANUAL, List.of(), Duration.ofSeconds(60))),
                        new ReplicaConfig("web2", new HostPort("2001:db8::12", 8081), Optional.empty(), Optional.empty(),
                                new RejoinConfig(RejoinConfig.Policy.HOOK, List.of("/usr/local/bin/resync", "web2"),
                                        Duration.ofSeconds(90))),
                        new ReplicaConfig("web3.b_c-d", new HostPort("web3.example", 80), Optional.empty(),
                                Optional.empty(), new RejoinConfig(RejoinConfig.Policy.MANUAL, List.of(),
                                Duration.ofSeconds(60)))),
                Duration.ofMillis(20), Duration.ofSeconds(4), Set.of(500, 503),
                new Limits(1 << 20, 8192, 4096, 2_000_000, Duration.ofSeconds(5), Duration.ofMinutes(2), 100, 8,
                        Duration.ofSeconds(15), Duration.ofMillis(500), 128 * 1024, 64L << 20, 32 * 1024, 500, 50, 16 * 1024),
                Optional.of("X-Replica"), true, false, 0, Duration.ofSeconds(30), Duration.ofMinutes(1),
                new AdminConfig(new HostPort("::1", 9902), Optional.of(DIR.resolve("admin.token"))),
                Optional.of(new AgentsConfig(new HostPort("0.0.0.0", 695), Path.of("/secrets/agents.key"),
                        new Timing(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(2),
                                Duration.ofSeconds(6)))),
                Optional.of(new ClusterConfig("proxy-a", "proxy-b",
                        new UdpLink(UdpLink.Mode.MCAST, List.of(), Optional.of("239.0.0.1"), 2, 696, "10.1.0.1",
                                Optional.of("eth1")),
                        Optional.of(new SerialLink("/dev/ttyS1", 115200)),
                        new Timing(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(4),
                                Duration.ofSeconds(4)),
                        DIR.resolve("cluster.key"),
                        Optional.of(new VipConfig("10.1.0.100", 24, "eth0",
                                new GarpConfig(3, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofMinutes(1)))),
                        "proxy-b", true, List.of("10.1.0.254", "gw.example"),
                        new NotifyConfig(List.of("/bin/notify", "active"), List.of("/bin/notify", "standby"), List.of(),
                                Duration.ofSeconds(5)))),
                Duration.ofSeconds(20), Optional.of(Duration.ofMinutes(10)),
                new QueryOfDeathConfig(true, true, 500, Duration.ofMinutes(2), Duration.ofSeconds(45)),
                Optional.empty(), Duration.ofSeconds(45), null,
                Optional.of("edge-a"),
                new ForwardedConfig(List.of(cidr("10.2.0.0", 16), cidr("2001:db8::", 32), cidr("192.0.2.7", 32))),
                new AccessLogConfig(Optional.of(DIR.resolve("logs/access.log")), false, AccessLogConfig.Format.JSON),
                Optional.of(new OrderingConfig(Set.of("POST", "PUT"), OrderingConfig.Key.header("X-Tenant"),
                        OrderingConfig.Reads.AFTER_WRITES)),
                new DivergenceConfig(List.of("Content-Type", "Location"), List.of("\"ts\":[0-9]+"),
                        DivergenceConfig.OnWrite.EJECT),
                Optional.empty());
        assertThat(config).isEqualTo(expected);
        // Priority order is the file's order: the first replica is the master.
        assertThat(config.replicas()).extracting(ReplicaConfig::name).containsExactly("web1", "web2", "web3.b_c-d");
    }

    @Test
    void omittedKeysTakeTheRecordsDefaults() throws ConfigException {
        RollforwardConfig config = ConfigLoader.parse("""
                listen: 127.0.0.1:0
                replicas:
                  - {name: a, url: http://127.0.0.1}
                  - {name: b, url: http://127.0.0.1:8082, check: {}}
                """, "r.yaml");

        RollforwardConfig expected = RollforwardConfig.of(new HostPort("127.0.0.1", 0), List.of(
                ReplicaConfig.of("a", new HostPort("127.0.0.1", 80)),
                new ReplicaConfig("b", new HostPort("127.0.0.1", 8082), Optional.of(CheckConfig.DEFAULT),
                        Optional.empty(), RejoinConfig.IMMEDIATE)));
        assertThat(config).isEqualTo(expected);
        assertThat(config.servedByHeader()).contains("X-Served-By");
        assertThat(config.failOnStatus()).isEqualTo(RollforwardConfig.DEFAULT_FAIL_ON_STATUS);
        assertThat(config.limits()).isEqualTo(Limits.DEFAULT);
        assertThat(config.admin()).isEqualTo(AdminConfig.DEFAULT);
    }

    @Test
    void omittedSubKeysOfSectionsTakeTheirDefaults() throws ConfigException {
        RollforwardConfig config = ConfigLoader.parse("""
                listen: 127.0.0.1:8080
                replicas:
                  - {name: a, url: http://127.0.0.1:81, agent: a}
                  - {name: b, url: http://127.0.0.1:82}
                fail-on-status: []
                limits: {max-connections: 7}
                admin: {}
                agents: {key-file: k}
                cluster:
                  udp: {peers: [127.0.0.2], port: 695}
                  node: n1
                  peer: n2
                  key-file: k
                  vip: {address: 198.51.100.7/24, interface: eth0}
                """, "/srv/conf/r.yaml");

        assertThat(config.failOnStatus()).isEmpty();
        assertThat(config.limits()).isEqualTo(new Limits(Limits.DEFAULT.maxRequestBody(), Limits.DEFAULT.maxHeaderSize(),
                Limits.DEFAULT.maxInitialLineLength(), Limits.DEFAULT.maxResponseBuffer(),
                Limits.DEFAULT.headerReadTimeout(), Limits.DEFAULT.idleTimeout(), 7, Limits.DEFAULT.replicaPoolSize(),
                Limits.DEFAULT.replicaIdleTimeout(), Limits.DEFAULT.connectTimeout()));
        assertThat(config.admin()).isEqualTo(AdminConfig.DEFAULT);
        assertThat(config.agents()).contains(new AgentsConfig(new HostPort("0.0.0.0", 694), Path.of("/srv/conf/k"),
                Timing.DEFAULT));
        ClusterConfig cluster = config.cluster().orElseThrow();
        assertThat(cluster.udp()).isEqualTo(UdpLink.ucast(695, "127.0.0.2"));
        assertThat(cluster.serial()).isEmpty();
        assertThat(cluster.timing()).isEqualTo(Timing.DEFAULT);
        assertThat(cluster.preferred()).isEqualTo("n1");
        assertThat(cluster.autoFailback()).isFalse();
        assertThat(cluster.pingNodes()).isEmpty();
        assertThat(cluster.notifications()).isEqualTo(NotifyConfig.NONE);
        assertThat(cluster.vip()).contains(new VipConfig("198.51.100.7", 24, "eth0", GarpConfig.DEFAULT));
    }

    @Test
    void servedByHeaderCanBeTurnedOff() throws ConfigException {
        for (String off : List.of("false", "off", "no", "OFF")) {
            RollforwardConfig config = ConfigLoader.parse(TwoReplicas.YAML + "served-by-header: " + off + "\n", "r.yaml");
            assertThat(config.servedByHeader()).as(off).isEmpty();
        }
        RollforwardConfig on = ConfigLoader.parse(TwoReplicas.YAML + "served-by-header: true\n", "r.yaml");
        assertThat(on.servedByHeader()).contains("X-Served-By");
    }

    @Test
    void shortCheckIntervalAloneGetsAShorterTimeout() throws ConfigException {
        RollforwardConfig config = ConfigLoader.parse("""
                listen: 127.0.0.1:8080
                replicas:
                  - {name: a, url: http://127.0.0.1:81, check: {interval: 500ms}}
                  - {name: b, url: http://127.0.0.1:82}
                """, "r.yaml");
        CheckConfig check = config.replicas().get(0).check().orElseThrow();
        assertThat(check.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(check.timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void loadResolvesRelativeKeyFilesAgainstTheFilesDirectory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/rollforward.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, TwoReplicas.YAML + """
                admin: {token-file: ../tokens/admin.token}
                agents: {key-file: agents.key}
                """);
        RollforwardConfig config = ConfigLoader.load(file);
        assertThat(config.admin().tokenFile()).contains(dir.resolve("tokens/admin.token").toAbsolutePath());
        assertThat(config.agents().orElseThrow().keyFile()).isEqualTo(dir.resolve("sub/agents.key").toAbsolutePath());
    }

    @Test
    void keyFilesAreNotOpenedByTheLoader(@TempDir Path dir) throws Exception {
        // The heartbeat module checks existence and permissions when it reads the key.
        Path file = dir.resolve("r.yaml");
        Files.writeString(file, TwoReplicas.YAML + "agents: {key-file: /nonexistent/agents.key}\n");
        assertThat(ConfigLoader.load(file).agents().orElseThrow().keyFile()).isEqualTo(Path.of("/nonexistent/agents.key"));
    }

    @Test
    void missingFileIsAConfigError(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
                        .containsExactly(new ConfigError(file.toString(), 0, 0, "", "no such file")));
    }

    @Test
    void fileThatIsNotUtf8IsAConfigError(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "listen: caf\u00e9:80\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.getMessage())
                        .isEqualTo(file + ":0:0: not UTF-8 text"));
    }

    @Test
    void agentCheckUrlIsNormalised() throws ConfigException {
        AgentConfig agent = ConfigLoader.parseAgent("""
                node: w
                send-to: ["127.0.0.1:694"]
                key-file: k
                check: {url: "http://127.0.0.1"}
                """, "a.yaml");
        assertThat(agent.check().orElseThrow().url()).isEqualTo(URI.create("http://127.0.0.1:80/"));
    }
}
