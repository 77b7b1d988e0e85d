package io.rollforward.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The duration syntax of the config file: a number and a unit, {@code ms}, {@code s}, {@code m}
 * or {@code h} ({@code 250ms}, {@code 5s}, {@code 1.5s}, {@code 2m}, {@code 1h}), or a bare
 * {@code 0}. A bare non-zero number is refused: {@code 5} could mean seconds or milliseconds, and
 * ha.cf and keepalived disagree on which.
 */
public final class DurationValue {
    private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
    private static final long NANOS_PER_MS = 1_000_000L;

    private DurationValue() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException if it is not a duration in the syntax above, is finer than a
     *                                  nanosecond or does not fit a {@link Duration} of nanoseconds
     */
    public static Duration parse(String text) {
        if ("0".equals(text)) {
            return Duration.ZERO;
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2))));
        try {
            return Duration.ofNanos(nanos.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration out of range or finer than 1ns: " + text, e);
        }
    }

    /** The shortest exact form {@link #parse} reads back: {@code 2m}, {@code 1500ms}, {@code 0s}. */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        for (String unit : new String[] {"h", "m", "s", "ms"}) {
            long per = unitNanos(unit);
            if (nanos % per == 0) {
                return nanos / per + unit;
            }
        }
        return BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(NANOS_PER_MS)).stripTrailingZeros()
                .toPlainString() + "ms";
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ms" -> NANOS_PER_MS;
            case "s" -> 1000 * NANOS_PER_MS;
            case "m" -> 60_000 * NANOS_PER_MS;
            case "h" -> 3_600_000 * NANOS_PER_MS;
            default -> throw new IllegalArgumentException("unit: " + unit);
        };
    }
}
