package io.rollforward.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationAndSizeTest {

    @ParameterizedTest
    @CsvSource({
            "0,        0",
            "0ms,      0",
            "0s,       0",
            "250ms,    250000000",
            "5s,       5000000000",
            "1.5s,     1500000000",
            "0.25s,    250000000",
            "2m,       120000000000",
            "1h,       3600000000000",
            "0.5ms,    500000",
            "1.000001ms, 1000001",
            "9223372036854ms, 9223372036854000000",
    })
    void durationsParse(String text, long nanos) {
        assertThat(DurationValue.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "-1s", "5 s", "5S", "5sec", "1d", "s", ".5s", "5.s", "1.0000001ms",
            "9223372036855ms", "99999999999999999999h", "1e3ms", "PT5S"})
    void badDurationsAreRefused(String text) {
        assertThatThrownBy(() -> DurationValue.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "0,           0s",
            "250000000,   250ms",
            "1500000000,  1500ms",
            "5000000000,  5s",
            "120000000000, 2m",
            "3600000000000, 1h",
            "5400000000000, 90m",
            "500000,      0.5ms",
    })
    void durationsFormatShortestExactForm(long nanos, String text) {
        assertThat(DurationValue.format(Duration.ofNanos(nanos))).isEqualTo(text);
        assertThat(DurationValue.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @CsvSource({
            "0,        0",
            "65536,    65536",
            "1B,       1",
            "512KiB,   524288",
            "10MiB,    10485760",
            "1GiB,     1073741824",
            "2TiB,     2199023255552",
            "1.5KiB,   1536",
            "64KB,     64000",
            "64kB,     64000",
            "10MB,     10000000",
            "1GB,      1000000000",
            "1TB,      1000000000000",
    })
    void sizesParse(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.5", "10 MiB", "10mib", "10M", "10Mb", "1.1B", "0.3KiB", "KiB",
            "9999999TiB", "99999999999999999999"})
    void badSizesAreRefused(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
            "0,        0",
            "1500,     1500",
            "1024,     1KiB",
            "10485760, 10MiB",
            "1536,     1536",
            "1073741824, 1GiB",
    })
    void sizesFormatInTheLargestExactBinaryUnit(long bytes, String text) {
        assertThat(ByteSize.format(bytes)).isEqualTo(text);
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }
}
