package io.rollforward.config;

import static io.rollforward.config.ConfigErrorsTest.c;
import static io.rollforward.config.ConfigErrorsTest.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code scheduler}, {@code groups[]} and {@code lard}: what they read as, and each mistake where it is. */
class GroupsConfigTest {
    /** Lines 1-11; a line appended is line 12. */
    static final String GROUPS = """
            listen: 127.0.0.1:8080
            scheduler: wrr
            groups:
              - name: east
                weight: 4
                replicas:
                  - {name: e1, url: http://127.0.0.1:81}
                  - {name: e2, url: http://127.0.0.1:82}
              - name: west
                replicas: [{name: w1, url: http://127.0.0.1:83}, {name: w2, url: http://127.0.0.1:84}]
            admin: {listen: 127.0.0.1:9901}
            """;

    @Test
    void theExampleReadsAsThreeGroupsWithLard() throws ConfigException {
        RollforwardConfig config = ConfigLoader.load(Path.of("examples/groups.yaml"));
        Scheduling s = config.scheduling();
        assertThat(s.scheduler()).isEqualTo(SchedulerKind.LARD_R);
        assertThat(s.groups()).extracting(GroupConfig::name).containsExactly("east", "west", "north");
        assertThat(s.groups()).extracting(GroupConfig::weight).containsExactly(4, 3, 2);
        assertThat(s.lard()).isEqualTo(new LardConfig(LardConfig.Target.PATH, Optional.empty(), 25, 65,
                Duration.ofSeconds(20), 100_000));
        // Every group's replicas, group after group: health, metrics and rejoin see all of them.
        assertThat(config.replicas()).extracting(ReplicaConfig::name)
                .containsExactly("east1", "east2", "west1", "west2", "north1", "north2");
    }

    @Test
    void aPlainReplicasListIsOneGroupUnderWlc() throws ConfigException {
        RollforwardConfig config = ConfigLoader.parse(TwoReplicas.YAML, "r.yaml");
        assertThat(config.scheduling()).isEqualTo(new Scheduling(SchedulerKind.WLC,
                List.of(new GroupConfig("default", 1, config.replicas())), LardConfig.DEFAULT));
        assertThat(config.replicas()).extracting(ReplicaConfig::name).containsExactly("a", "b");
    }

    @Test
    void defaultsAndTargets() throws ConfigException {
        RollforwardConfig config = ConfigLoader.parse(GROUPS.replace("wrr", "lard")
                + "lard: {target: 'header:X-Tenant', t-low: 2, t-high: 3, set-shrink-after: 1s, table-size: 10}\n", "r.yaml");
        assertThat(config.scheduling().groups().get(1).weight()).isEqualTo(1);
        assertThat(config.scheduling().lard()).isEqualTo(new LardConfig(LardConfig.Target.HEADER,
                Optional.of("X-Tenant"), 2, 3, Duration.ofSeconds(1), 10));
        assertThat(ConfigLoader.parse(GROUPS.replace("wrr", "lard-r") + "lard: {target: path-and-query}\n", "r.yaml")
                .scheduling().lard().target()).isEqualTo(LardConfig.Target.PATH_AND_QUERY);
    }

    static Stream<Arguments> mistakes() {
        return Stream.of(
                c(GROUPS.replace("scheduler: wrr", "scheduler: sed"),
                        "r.yaml:2:12: scheduler: \"sed\" (expected: rr, wrr, lc, wlc, lard, lard-r)"),
                c(GROUPS.replace("weight: 4", "weight: -1"),
                        "r.yaml:5:13: groups[0].weight: -1 (expected: >= 0)"),
                c(GROUPS.replace("weight: 4", "weight: 0").replace("  - name: west\n", "  - name: west\n    weight: 0\n"),
                        "r.yaml:4:3: groups: every weight is 0 (expected: at least one group with weight > 0, or no"
                                + " request could be served)"),
                c(GROUPS.replace("name: west", "name: east"),
                        "r.yaml:9:11: groups[1].name: east (expected: unique, groups[0] has it too)"),
                c(GROUPS.replace("name: w1", "name: e1"),
                        "r.yaml:10:23: groups[1].replicas[0].name: e1 (expected: unique, groups[0].replicas[0] has it too)"),
                c(GROUPS.replace("http://127.0.0.1:83", "http://127.0.0.1:81"),
                        "r.yaml:10:32: groups[1].replicas[0].url: http://127.0.0.1:81 (expected: unique,"
                                + " groups[0].replicas[0] has it too)"),
                c(GROUPS.replace(", {name: w2, url: http://127.0.0.1:84}", ""),
                        "r.yaml:10:15: groups[1].replicas: 1 replica(s) (expected: at least 2, a master and a backup)"),
                c(GROUPS.replace("    replicas: [{name: w1", "    replica: [{name: w1"),
                        "r.yaml:9:5: groups[1].replicas: missing (expected: a list of at least 2 replicas, master first)",
                        "r.yaml:10:5: groups[1].replica: unknown key 'replica' (did you mean 'replicas'?)"),
                c(GROUPS + "replicas: []\n",
                        "r.yaml:12:11: replicas: [] (expected: no top-level replicas next to groups: put them in a group)"),
                c("listen: 127.0.0.1:8080\ngroups: []\n",
                        "r.yaml:2:9: groups: no group (expected: at least 1)"),
                c("listen: 127.0.0.1:8080\ngroups: [east]\n",
                        "r.yaml:2:10: groups[0]: \"east\" (expected: a group: {name: east, weight: 2, replicas: [...]})"),
                c(GROUPS + "lard: {t-low: 5}\n",
                        "r.yaml:12:7: lard: a mapping (expected: only with scheduler lard or lard-r)"),
                c(GROUPS.replace("wrr", "lard") + "lard: {target: cookie}\n",
                        "r.yaml:12:16: lard.target: \"cookie\" (expected: path, path-and-query or header:NAME)"),
                c(GROUPS.replace("wrr", "lard") + "lard: {target: 'header:X Y'}\n",
                        "r.yaml:12:16: lard.target: \"header:X Y\" (expected: path, path-and-query or header:NAME)"),
                c(GROUPS.replace("wrr", "lard") + "lard: {t-low: 70}\n",
                        "r.yaml:12:7: lard.t-high: default (expected: > t-low 70)"),
                c(GROUPS.replace("wrr", "lard") + "lard: {t-low: 0}\n",
                        "r.yaml:12:15: lard.t-low: 0 (expected: >= 1)"),
                c(GROUPS.replace("wrr", "lard-r") + "lard: {set-shrink-after: 0}\n",
                        "r.yaml:12:26: lard.set-shrink-after: 0 (expected: > 0)"),
                c(GROUPS.replace("wrr", "lard") + "lard: {table-size: 0}\n",
                        "r.yaml:12:20: lard.table-size: 0 (expected: >= 1)"),
                c(GROUPS.replace("wrr", "lard") + "lard: {t-hihg: 70}\n",
                        "r.yaml:12:8: lard.t-hihg: unknown key 't-hihg' (did you mean 't-high'?)"));
    }

    @ParameterizedTest
    @MethodSource("mistakes")
    void reportsTheMistakeWhereItIs(String yaml, List<String> expected) {
        assertThat(errorsOf(yaml)).isEqualTo(expected);
    }
}
