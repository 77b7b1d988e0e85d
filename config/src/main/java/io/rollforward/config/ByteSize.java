package io.rollforward.config;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The size syntax of the config file: a plain number of bytes ({@code 65536}), or a number and a
 * unit. Binary units ({@code KiB}, {@code MiB}, {@code GiB}, {@code TiB}) are powers of 1024;
 * decimal units ({@code KB}/{@code kB}, {@code MB}, {@code GB}, {@code TB}) are powers of 1000, as
 * IEC 80000-13 defines them. {@code B} is bytes. A fraction is allowed when the result is a whole
 * number of bytes ({@code 1.5KiB} = 1536).
 */
public final class ByteSize {
    private static final Pattern FORMAT =
            Pattern.compile("(\\d+(?:\\.\\d+)?)(B|KiB|MiB|GiB|TiB|KB|kB|MB|GB|TB)?");
    private static final String[] BINARY_UNITS = {"TiB", "GiB", "MiB", "KiB"};

    private ByteSize() {
    }

    /**
     * Parses {@code text} into a number of bytes.
     *
     * @throws IllegalArgumentException if it is not a size in the syntax above, not a whole number
     *                                  of bytes, or larger than {@link Long#MAX_VALUE}
     */
    public static long parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches() || (m.group(2) == null && m.group(1).contains("."))) {
            throw new IllegalArgumentException("not a size: " + text);
        }
        long unit = m.group(2) == null ? 1 : unitBytes(m.group(2));
        try {
            return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit)).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size out of range or not whole bytes: " + text, e);
        }
    }

    /** The largest binary unit that divides {@code bytes} exactly: {@code 10MiB}, {@code 1500}. */
    public static String format(long bytes) {
        if (bytes != 0) {
            for (String unit : BINARY_UNITS) {
                long per = unitBytes(unit);
                if (bytes % per == 0) {
                    return bytes / per + unit;
                }
            }
        }
        return Long.toString(bytes);
    }

    private static long unitBytes(String unit) {
        return switch (unit) {
            case "B" -> 1L;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            case "TiB" -> 1L << 40;
            case "KB", "kB" -> 1_000L;
            case "MB" -> 1_000_000L;
            case "GB" -> 1_000_000_000L;
            case "TB" -> 1_000_000_000_000L;
            default -> throw new IllegalArgumentException("unit: " + unit);
        };
    }
}
