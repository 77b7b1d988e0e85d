package io.rollforward.proxy;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.rollforward.proxy.front.InflightExchanges;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Blocks a stopping thread (never an event loop) until no exchange is in flight, or a timeout. */
final class InflightWait {
    private static final Logger log = LoggerFactory.getLogger(InflightWait.class);
    private static final long CHECK_EVERY_MILLIS = 20;

    private final InflightExchanges inflight;
    private final EventLoopGroup timer;

    InflightWait(InflightExchanges inflight, EventLoopGroup timer) {
        this.inflight = inflight;
        this.timer = timer;
    }

    /** @return true when every exchange finished in time */
    boolean await(Duration timeout) {
        if (inflight.size() == 0) {
            return true;
        }
        log.info("stopping: {} request(s) in flight, waiting up to {} ms", inflight.size(), timeout.toMillis());
        CompletableFuture<Void> idle = new CompletableFuture<>();
        ScheduledFuture<?> check = timer.next().scheduleAtFixedRate(() -> {
            if (inflight.size() == 0) {
                idle.complete(null);
            }
        }, 0, CHECK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        try {
            idle.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            log.warn("stopping: shutdown-timeout {} ms passed with {} request(s) still in flight; they are cut",
                    timeout.toMillis(), inflight.size());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        } finally {
            check.cancel(false);
        }
    }
}
