package io.rollforward.config;

import static io.rollforward.config.ConfigErrorsTest.c;
import static io.rollforward.config.ConfigErrorsTest.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * check-config on {@code cluster.mode: ring}: each case is the valid ring below with one mistake
 * and the one error line it must produce. The cluster starts on line 5, its first key on line 6.
 */
class RingConfigErrorsTest {
    private static final String OK = """
            cluster:
              mode: ring
              node: a
              key-file: k
              members:
                - {name: a, address: 192.0.2.1:7800}
                - {name: b, address: 192.0.2.2:7800}
                - {name: c, address: 192.0.2.3:7800}
              vips:
                - {address: 192.0.2.101/24, interface: eth0, home: a}
            """;

    static Stream<Arguments> ringMistakes() {
        return Stream.of(
                c(OK.replace("mode: ring", "mode: star"), "r.yaml:6:9: cluster.mode: \"star\" (expected: pair or ring)"),
                c(OK.replace("  node: a\n", ""), "r.yaml:6:3: cluster.node: missing (expected: a name of letters, digits, '_', '.' and '-')"),
                c(OK.replace("node: a", "node: d"), "r.yaml:7:9: cluster.node: d (expected: one of members a, b, c)"),
                c(OK.replace("  key-file: k\n", ""), "r.yaml:6:3: cluster.key-file: missing (expected: a file path)"),
                c(OK.replace("{name: b, address: 192.0.2.2:7800}", "{name: a, address: 192.0.2.2:7800}"),
                        "r.yaml:11:14: cluster.members[1].name: a (expected: unique, cluster.members[0] has it too)"),
                c(OK.replace("192.0.2.2:7800", "192.0.2.1:7800"),
                        "r.yaml:11:26: cluster.members[1].address: 192.0.2.1:7800 (expected: unique, cluster.members[0] has it too)"),
                c(OK.replace("192.0.2.2:7800", "192.0.2.2"),
                        "r.yaml:11:26: cluster.members[1].address: \"192.0.2.2\" (expected: host:port with port 1..65535, IPv6 as [::1]:694)"),
                c(OK.replace("    - {name: b, address: 192.0.2.2:7800}\n    - {name: c, address: 192.0.2.3:7800}\n", ""),
                        "r.yaml:10:5: cluster.members: 1 member(s) (expected: at least 2)"),
                c(OK.replace("    - {name: c, address: 192.0.2.3:7800}\n", ""),
                        "r.yaml:6:3: cluster.quorum: default (expected: none with 2 members (one survivor is never a majority of 2; use mode: pair))"),
                c(OK.replace("home: a}", "home: z}"), "r.yaml:14:56: cluster.vips[0].home: z (expected: one of members a, b, c)"),
                c(OK.replace(", home: a}", "}"), "r.yaml:14:7: cluster.vips[0].home: missing (expected: a name of letters, digits, '_', '.' and '-')"),
                c(OK + "    - {address: 192.0.2.101/24, interface: eth1, home: b}\n",
                        "r.yaml:15:17: cluster.vips[1].address: 192.0.2.101/24 (expected: unique, cluster.vips[0] has it too)"),
                c(OK + "  failure-timeout: 50ms\n", "r.yaml:15:20: cluster.failure-timeout: 50ms (expected: >= 100ms)"),
                c(OK + "  failback: later\n", "r.yaml:15:13: cluster.failback: \"later\" (expected: auto or manual)"),
                c(OK + "  quorum: half\n", "r.yaml:15:11: cluster.quorum: \"half\" (expected: majority or none)"),
                c(OK + "  peer: b\n", "r.yaml:15:3: cluster.peer: unknown key 'peer' (expected one of: mode, node, members, key-file, failure-timeout, vips, failback, failback-delay, quorum)"));
    }

    @ParameterizedTest
    @MethodSource("ringMistakes")
    void reportsRingMistakes(String cluster, List<String> expected) {
        assertThat(errorsOf(TwoReplicas.YAML + cluster)).isEqualTo(expected);
    }
}
