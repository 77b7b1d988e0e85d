package io.rollforward.heartbeat.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.rollforward.heartbeat.RejectReason;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RejectionSummaryTest {
    private final AtomicLong nanos = new AtomicLong();
    private final RejectionSummary summary = new RejectionSummary(nanos::get, Duration.ofSeconds(60));
    private final InetSocketAddress a = new InetSocketAddress("127.0.0.1", 694);
    private final InetSocketAddress b = new InetSocketAddress("127.0.0.2", 694);

    @Test
    void firstDropIsLoggedAtOnceThenSummedOncePerInterval() {
        assertThat(summary.record(RejectReason.BAD_MAC, a)).hasValueSatisfying(l ->
                assertThat(l).contains("/127.0.0.1:694").contains("bad_mac"));
        // 1000 drops 50 ms apart: 50 s, inside the 60 s interval, so nothing more is logged.
        for (int i = 0; i < 1000; i++) {
            nanos.addAndGet(Duration.ofMillis(50).toNanos());
            assertThat(summary.record(i % 2 == 0 ? RejectReason.BAD_MAC : RejectReason.REPLAYED, i % 2 == 0 ? a : b))
                    .isEmpty();
        }
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(summary.record(RejectReason.STALE, b)).hasValueSatisfying(l -> assertThat(l)
                .contains("bad_mac=500").contains("replayed=500").contains("stale=1")
                .contains("/127.0.0.1:694").contains("/127.0.0.2:694"));
        // Counts start again after a summary.
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(summary.record(RejectReason.MALFORMED, a)).isEmpty();
    }
}
