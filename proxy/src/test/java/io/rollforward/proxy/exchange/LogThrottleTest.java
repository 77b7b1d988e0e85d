package io.rollforward.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** One line per interval; the next line says how many were left out. */
class LogThrottleTest {
    @Test
    void admitsTheFirstAndHoldsBackTheRestOfTheInterval() {
        LogThrottle throttle = new LogThrottle(TimeUnit.MINUTES.toNanos(1));
        long first = throttle.admit();
        long second = throttle.admit();
        long third = throttle.admit();
        assertThat(new long[] {first, second, third}).containsExactly(0, -1, -1);
    }

    @Test
    void theNextLineAfterTheIntervalCountsWhatWasLeftOut() {
        LogThrottle throttle = new LogThrottle(TimeUnit.MILLISECONDS.toNanos(200));
        throttle.admit();
        AtomicLong more = new AtomicLong(-1);
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    more.set(throttle.admit());
                    return more.get() >= 0;
                });
        assertThat(more.get()).isGreaterThanOrEqualTo(0); // the polls that came too early
        assertThat(throttle.more(3)).isEqualTo(" (+3 more in the last 200ms)");
        assertThat(throttle.more(0)).isEmpty();
    }
}
