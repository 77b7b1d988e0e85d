package io.rollforward.proxy.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rollforward.config.AccessLogConfig;
import io.rollforward.proxy.exchange.ExchangeSummary;
import io.rollforward.proxy.exchange.Outcome;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The event loop's side never waits: a writer that is stuck costs dropped, counted lines. */
class AccessLogQueueTest {
    private static ExchangeSummary summary(int i) {
        return new ExchangeSummary("GET", "/" + i, "HTTP/1.1", "127.0.0.1", null, null, 200, 1, "web1",
                Outcome.MASTER, null, null, 0, 1000);
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        StringWriter written = new StringWriter();
        Writer stuck = new Writer() {
            @Override
            public void write(char[] b, int off, int len) {
                try {
                    release.await(30, TimeUnit.SECONDS); // a disk that does not answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                written.write(b, off, len);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Counter dropped = AccessLog.droppedCounter(new SimpleMeterRegistry());
        AccessLog log = new AccessLog(AccessLogConfig.Format.COMBINED, stuck, false, dropped, 4);
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            log.exchangeEnded(summary(i));
        }
        long took = System.nanoTime() - start;
        assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(5)); // nothing waited for the writer
        // one line in the writer's hands, 4 queued, the rest dropped (the writer may not have taken one yet)
        assertThat(dropped.count()).isBetween(95.0, 96.0);
        release.countDown();
        log.close();
        long lines = written.toString().lines().count();
        assertThat(lines + (long) dropped.count()).isEqualTo(100);
    }
}
