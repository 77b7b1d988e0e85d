package io.rollforward.proxy.accesslog;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rollforward.config.AccessLogConfig;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.exchange.ExchangeSummary;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access log: each {@link ExchangeSummary} is put in a bounded queue on the event loop (an
 * {@code offer}, never a wait) and formatted and written by the {@code access-log} thread, which
 * flushes whenever the queue runs empty. When the writer falls behind and the queue is full, the
 * line is dropped and counted in {@code rollforward_access_log_dropped_total}: a slow disk must
 * not slow the proxy.
 */
public final class AccessLog implements ExchangeEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);
    static final int QUEUE_SIZE = 8192;

    private final AccessLogConfig.Format format;
    private final Writer out;
    private final boolean closeOut;
    private final Counter dropped;
    private final BlockingQueue<ExchangeSummary> queue;
    private final Thread writer;
    private volatile boolean stopping;

    AccessLog(AccessLogConfig.Format format, Writer out, boolean closeOut, Counter dropped, int queueSize) {
        this.format = format;
        this.out = out;
        this.closeOut = closeOut;
        this.dropped = dropped;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.writer = new Thread(this::drain, "access-log");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Opens the configured file (appending) or standard output.
     *
     * @throws UncheckedIOException when the file cannot be opened
     */
    public static AccessLog open(AccessLogConfig config, MeterRegistry registry) {
        Counter dropped = droppedCounter(registry);
        if (config.stdout()) {
            return new AccessLog(config.format(), new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false,
                    dropped, QUEUE_SIZE);
        }
        try {
            BufferedWriter file = Files.newBufferedWriter(config.file().orElseThrow(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            return new AccessLog(config.format(), file, true, dropped, QUEUE_SIZE);
        } catch (IOException e) {
            throw new UncheckedIOException("access-log.path " + config.file().orElseThrow() + ": " + e, e);
        }
    }

    /** {@code rollforward_access_log_dropped_total}, registered whether or not the log is on. */
    public static Counter droppedCounter(MeterRegistry registry) {
        return Counter.builder("rollforward.access_log.dropped")
                .description("Access log lines dropped because the writer fell behind (queue full)")
                .register(registry);
    }

    @Override
    public void exchangeEnded(ExchangeSummary summary) {
        if (stopping || !queue.offer(summary)) {
            dropped.increment();
        }
    }

    private void drain() {
        try {
            while (!stopping || !queue.isEmpty()) {
                ExchangeSummary s = queue.poll(100, TimeUnit.MILLISECONDS);
                if (s != null) {
                    out.write(AccessLogLine.format(format, s));
                    out.write('\n');
                }
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            log.error("access log stopped: {}", e.toString());
            stopping = true;
        }
    }

    /** Writes what is queued, then closes the file. */
    @Override
    public void close() {
        stopping = true;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(5));
            out.flush();
            if (closeOut) {
                out.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.warn("closing the access log: {}", e.toString());
        }
    }
}
