package io.rollforward.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Heartbeat timing keys left out are derived from the given ones in the default proportions
 * 1:5:10:30, so the derived set always satisfies keepalive &lt; warntime &lt; deadtime &lt;= initdead.
 */
class TimingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "                                            | 1s    | 5s    | 10s  | 30s",
            "deadtime: 2s                                | 200ms | 1s    | 2s   | 6s",
            "keepalive: 100ms                            | 100ms | 500ms | 1s   | 3s",
            "warntime: 500ms                             | 100ms | 500ms | 1s   | 3s",
            "initdead: 60s                               | 2s    | 10s   | 20s  | 60s",
            "keepalive: 1s, deadtime: 10s                | 1s    | 5s    | 10s  | 30s",
            "keepalive: 1s, deadtime: 19s                | 1s    | 9s    | 19s  | 57s",
            "keepalive: 2s, initdead: 60s                | 2s    | 10s   | 20s  | 60s",
            "keepalive: 500ms, warntime: 2s, deadtime: 4s, initdead: 4s | 500ms | 2s | 4s | 4s",
    })
    void missingKeysAreDerived(String given, String keepalive, String warntime, String deadtime, String initdead)
            throws ConfigException {
        String yaml = TwoReplicas.YAML + "agents: {key-file: k" + (given == null ? "" : ", " + given) + "}\n";
        Timing timing = ConfigLoader.parse(yaml, "r.yaml").agents().orElseThrow().timing();
        assertThat(timing).isEqualTo(new Timing(DurationValue.parse(keepalive), DurationValue.parse(warntime),
                DurationValue.parse(deadtime), DurationValue.parse(initdead)));
        assertThat(timing.keepalive()).isLessThan(timing.warntime());
        assertThat(timing.warntime()).isLessThan(timing.deadtime());
        assertThat(timing.deadtime()).isLessThanOrEqualTo(timing.initdead());
    }
}
