package io.rollforward.config;

import static io.rollforward.config.ConfigErrorsTest.c;
import static io.rollforward.config.ConfigErrorsTest.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ordering}, {@code divergence} and their limits: what a good file reads as, and every
 * mistake with its one error line (file:line:column, key, value, what was expected).
 */
class OrderingConfigTest {
    /** Two replicas that rejoin by hand, as ordering requires; lines 1-4. */
    static final String MANUAL = """
            listen: 127.0.0.1:8080
            replicas:
              - {name: a, url: http://127.0.0.1:81, rejoin: manual}
              - {name: b, url: http://127.0.0.1:82, rejoin: {hook: [/bin/resync, b]}}
            """;

    @Test
    void orderingWithItsDefaults() throws ConfigException {
        RollforwardConfig config = ConfigLoader.parse(MANUAL + "ordering: {}\n", "r.yaml");
        assertThat(config.ordering()).contains(OrderingConfig.DEFAULT);
        assertThat(config.divergence()).isEqualTo(DivergenceConfig.DEFAULT);
        assertThat(config.limits().maxQueuedWrites()).isEqualTo(10_000);
        assertThat(config.limits().maxQueuedWritesPerKey()).isEqualTo(1_000);
        assertThat(config.limits().maxCompareBody()).isEqualTo(64 * 1024);
    }

    @Test
    void withoutTheSectionNothingIsOrdered() throws ConfigException {
        assertThat(ConfigLoader.parse(TwoReplicas.YAML, "r.yaml").ordering()).isEmpty();
    }

    @Test
    void everyKeyKind() throws ConfigException {
        assertThat(keyOf("path")).isEqualTo(OrderingConfig.Key.PATH);
        assertThat(keyOf("path-prefix:2")).isEqualTo(OrderingConfig.Key.pathPrefix(2));
        assertThat(keyOf("header:X-Tenant")).isEqualTo(OrderingConfig.Key.header("X-Tenant"));
        assertThat(keyOf("header:X-Tenant").toString()).isEqualTo("header:X-Tenant");
        assertThat(ConfigLoader.parse(MANUAL + "ordering: {methods: [POST]}\n", "r.yaml").ordering().orElseThrow()
                .methods()).isEqualTo(Set.of("POST"));
    }

    private static OrderingConfig.Key keyOf(String key) throws ConfigException {
        return ConfigLoader.parse(MANUAL + "ordering: {key: \"" + key + "\"}\n", "r.yaml").ordering().orElseThrow().key();
    }

    static Stream<Arguments> oneMistake() {
        String base = TwoReplicas.YAML;
        return Stream.of(
                // a replica that would come back by itself after missing a write
                c(base + "ordering: {}\n",
                        "r.yaml:3:5: replicas[0].rejoin: default (expected: manual or {hook: [...]} with 'ordering': a replica out of step must be resynced before it rejoins)",
                        "r.yaml:4:5: replicas[1].rejoin: default (expected: manual or {hook: [...]} with 'ordering': a replica out of step must be resynced before it rejoins)"),
                c(base.replace("82}", "82, rejoin: immediate}") .replace("81}", "81, rejoin: manual}") + "ordering: {}\n",
                        "r.yaml:4:49: replicas[1].rejoin: immediate (expected: manual or {hook: [...]} with 'ordering': a replica out of step must be resynced before it rejoins)"),
                c(MANUAL + "ordering: {}\nmirror: false\n",
                        "r.yaml:6:9: mirror: false (expected: true with 'ordering': pass-through runs writes on one replica)"),
                c(MANUAL + "ordering: [POST]\n",
                        "r.yaml:5:11: ordering: a list (expected: {methods: [POST, PUT], key: service, reads: free})"),
                c(MANUAL + "ordering: {methods: [post]}\n",
                        "r.yaml:5:22: ordering.methods[0]: \"post\" (expected: an HTTP method in upper case, like POST)"),
                c(MANUAL + "ordering: {methods: []}\n",
                        "r.yaml:5:21: ordering.methods: [] (expected: at least one method; leave out 'ordering' to order nothing)"),
                c(MANUAL + "ordering: {key: host}\n",
                        "r.yaml:5:17: ordering.key: \"host\" (expected: service, path, path-prefix:N (N >= 1) or header:NAME)"),
                c(MANUAL + "ordering: {key: \"path-prefix:0\"}\n",
                        "r.yaml:5:17: ordering.key: \"path-prefix:0\" (expected: service, path, path-prefix:N (N >= 1) or header:NAME)"),
                c(MANUAL + "ordering: {key: \"header:\"}\n",
                        "r.yaml:5:17: ordering.key: \"header:\" (expected: service, path, path-prefix:N (N >= 1) or header:NAME)"),
                c(MANUAL + "ordering: {reads: ordered}\n",
                        "r.yaml:5:19: ordering.reads: \"ordered\" (expected: free or after-writes)"),
                c(MANUAL + "ordering: {keys: path}\n",
                        "r.yaml:5:12: ordering.keys: unknown key 'keys' (did you mean 'key'?)"),
                // divergence
                c(base + "divergence: {on-write: eject}\n",
                        "r.yaml:5:24: divergence.on-write: eject (expected: log without an 'ordering' section: eject applies to ordered writes)"),
                c(base + "divergence: {on-write: drop}\n",
                        "r.yaml:5:24: divergence.on-write: \"drop\" (expected: log or eject)"),
                c(base + "divergence: {ignore-body: ['\"ts\":[0-9+']}\n",
                        "r.yaml:5:28: divergence.ignore-body[0]: \"\\\"ts\\\":[0-9+\" (expected: a regular expression (Java syntax) that cannot match empty text)"),
                c(base + "divergence: {ignore-body: ['[0-9]*']}\n",
                        "r.yaml:5:28: divergence.ignore-body[0]: \"[0-9]*\" (expected: a regular expression (Java syntax) that cannot match empty text)"),
                c(base + "divergence: {compare-headers: ['Content Type']}\n",
                        "r.yaml:5:32: divergence.compare-headers[0]: \"Content Type\" (expected: an HTTP header name)"),
                // limits
                c(base + "limits: {max-queued-writes: 0}\n",
                        "r.yaml:5:29: limits.max-queued-writes: 0 (expected: >= 1)"),
                c(base + "limits: {max-queued-writes: 10, max-queued-writes-per-key: 20}\n",
                        "r.yaml:5:60: limits.max-queued-writes-per-key: 20 (expected: <= max-queued-writes 10)"),
                c(base + "limits: {max-compare-body: 0}\n",
                        "r.yaml:5:28: limits.max-compare-body: 0 (expected: 1..2147483647 bytes)"));
    }

    @ParameterizedTest
    @MethodSource("oneMistake")
    void reportsTheMistake(String yaml, List<String> expected) {
        assertThat(errorsOf(yaml)).isEqualTo(expected);
    }
}
