package io.rollforward.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code cluster.mode: ring}: every key read into {@link RingConfig}, and the defaults. */
class RingConfigTest {
    private static final Path EXAMPLES = Path.of("examples");

    @Test
    void exampleReadsEveryKey() throws ConfigException {
        RollforwardConfig config = ConfigLoader.load(EXAMPLES.resolve("ring-a.yaml"));
        assertThat(config.cluster()).isEmpty();
        RingConfig ring = config.ring().orElseThrow();
        assertThat(ring.node()).isEqualTo("proxy-a");
        assertThat(ring.members()).containsExactly(
                new RingConfig.Member("proxy-a", new HostPort("192.0.2.1", 7800)),
                new RingConfig.Member("proxy-b", new HostPort("192.0.2.2", 7800)),
                new RingConfig.Member("proxy-c", new HostPort("192.0.2.3", 7800)));
        assertThat(ring.keyFile()).isEqualTo(EXAMPLES.toAbsolutePath().resolve("cluster.key").normalize());
        assertThat(ring.failureTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(ring.vips()).containsExactly(
                new RingConfig.RingVip(new VipConfig("192.0.2.101", 24, "eth0", GarpConfig.DEFAULT), "proxy-a"),
                new RingConfig.RingVip(new VipConfig("192.0.2.102", 24, "eth0", GarpConfig.DEFAULT), "proxy-b"),
                new RingConfig.RingVip(new VipConfig("2001:db8::103", 64, "eth0",
                        new GarpConfig(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ZERO)), "proxy-c"));
        assertThat(ring.failback()).isEqualTo(RingConfig.Failback.AUTO);
        assertThat(ring.failbackDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(ring.quorum()).isEqualTo(RingConfig.Quorum.MAJORITY);
        assertThat(ring.self().address().port()).isEqualTo(7800);
    }

    @Test
    void defaults() throws ConfigException {
        RingConfig ring = ConfigLoader.parse(TwoReplicas.YAML + """
                cluster:
                  mode: ring
                  node: b
                  key-file: k
                  members: [{name: a, address: 127.0.0.1:7800}, {name: b, address: 127.0.0.1:7801},
                            {name: c, address: 127.0.0.1:7802}]
                """, "/etc/r.yaml").ring().orElseThrow();
        assertThat(ring.vips()).isEmpty();
        assertThat(ring.failureTimeout()).isEqualTo(RingConfig.DEFAULT_FAILURE_TIMEOUT);
        assertThat(ring.failback()).isEqualTo(RingConfig.Failback.AUTO);
        assertThat(ring.failbackDelay()).isEqualTo(RingConfig.DEFAULT_FAILBACK_DELAY);
        assertThat(ring.quorum()).isEqualTo(RingConfig.Quorum.MAJORITY);
        assertThat(ring.members()).extracting(RingConfig.Member::name).isEqualTo(List.of("a", "b", "c"));
    }
}
