package io.rollforward.config.internal;

import io.rollforward.config.DurationValue;
import io.rollforward.config.Timing;

import java.time.Duration;
import java.util.Optional;

/**
 * Reads the four Linux-HA heartbeat timings (ha.cf {@code keepalive}, {@code warntime},
 * {@code deadtime}, {@code initdead}) from a section that has them among other keys.
 *
 * <p>Keys left out are derived from the ones given, keeping the default proportions
 * 1 : 5 : 10 : 30 (1s, 5s, 10s, 30s): a key between two given ones is interpolated, one beyond
 * the given ones is scaled from the nearest. So {@code deadtime: 2s} alone gives keepalive 200ms,
 * warntime 1s, initdead 6s, and a fast link needs one setting, not four. Given keys must satisfy
 * keepalive &lt; warntime &lt; deadtime &lt;= initdead.
 */
final class TimingReader {
    private static final String[] KEYS = {"keepalive", "warntime", "deadtime", "initdead"};
    private static final long[] RATIO = {1, 5, 10, 30};

    private TimingReader() {
    }

    static Timing read(Section section) {
        Duration[] given = new Duration[KEYS.length];
        for (int i = 0; i < KEYS.length; i++) {
            Optional<Duration> value = section.optional(KEYS[i], ScalarType.DURATION);
            if (value.isPresent()) {
                section.rule(KEYS[i], value.get().compareTo(Duration.ZERO) > 0, "> 0");
                if (section.ok(KEYS[i])) {
                    given[i] = value.get();
                }
            }
        }
        // Order of the given keys, each against the nearest given one before it.
        int previous = -1;
        for (int i = 0; i < KEYS.length; i++) {
            if (given[i] == null) {
                continue;
            }
            if (previous >= 0) {
                boolean orEqual = i == 3 && previous == 2; // deadtime <= initdead
                int cmp = given[i].compareTo(given[previous]);
                section.rule(KEYS[i], orEqual ? cmp >= 0 : cmp > 0, (orEqual ? ">= " : "> ")
                        + KEYS[previous] + " " + DurationValue.format(given[previous]));
            }
            previous = i;
        }
        Duration[] all = new Duration[KEYS.length];
        Timing defaults = Timing.DEFAULT;
        Duration[] fallback = {defaults.keepalive(), defaults.warntime(), defaults.deadtime(), defaults.initdead()};
        for (int i = 0; i < KEYS.length; i++) {
            all[i] = given[i] != null ? given[i] : derive(i, given, fallback[i]);
        }
        return new Timing(all[0], all[1], all[2], all[3]);
    }

    private static Duration derive(int index, Duration[] given, Duration fallback) {
        int lower = -1;
        int upper = -1;
        for (int i = index - 1; i >= 0 && lower < 0; i--) {
            lower = given[i] != null ? i : -1;
        }
        for (int i = index + 1; i < given.length && upper < 0; i++) {
            upper = given[i] != null ? i : -1;
        }
        if (lower >= 0 && upper >= 0) {
            Duration span = given[upper].minus(given[lower]);
            return given[lower].plus(span.multipliedBy(RATIO[index] - RATIO[lower])
                    .dividedBy(RATIO[upper] - RATIO[lower]));
        }
        if (lower >= 0) {
            return given[lower].multipliedBy(RATIO[index]).dividedBy(RATIO[lower]);
        }
        if (upper >= 0) {
            return given[upper].multipliedBy(RATIO[index]).dividedBy(RATIO[upper]);
        }
        return fallback;
    }
}
