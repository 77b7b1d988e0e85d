package io.rollforward.proxy.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rollforward.proxy.testing.Closing;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backup slower than its master: one keep-alive client's requests get the master's replies as
 * fast as the master gives them, but the backup's copies fall behind by at most
 * {@link ClientRequestReceiver#MAX_LAGGING} requests instead of piling up (one connection each).
 */
class LaggingBackupTest {
    private Origin master;
    private Origin backup;
    private ProxyUnderTest proxy;

    @AfterEach
    void stop() throws Exception {
        Closing.inOrder(proxy, master, backup);
    }

    @Test
    void aSlowBackupFallsBehindOneConnectionByABoundedNumberOfRequests() throws Exception {
        master = new Origin("master", 0);
        backup = new Origin("backup", 500);
        proxy = ProxyUnderTest.start(c -> c.withPerRequestTimeout(Duration.ofSeconds(10)), master.port(), backup.port());

        int requests = 20;
        for (int i = 0; i < requests; i++) {
            HttpResponse<String> r = proxy.get("/item/" + i);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("master /item/" + i);
        }
        await().atMost(30, TimeUnit.SECONDS).until(() -> backup.answered.get() == requests);

        assertThat(master.answered.get()).isEqualTo(requests);
        // the replies did not wait for the backup each time (copies ran behind the replies) ...
        assertThat(backup.mostInFlight.get()).isGreaterThan(1);
        // ... but no further behind than the bound: the lagging ones and the current one
        assertThat(backup.mostInFlight.get()).isLessThanOrEqualTo(ClientRequestReceiver.MAX_LAGGING + 1);
    }

    /** Answers "{name} {path}" after {@code delayMillis}, from a timer; counts what is in flight. */
    private static final class Origin implements AutoCloseable {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger mostInFlight = new AtomicInteger();
        final AtomicInteger answered = new AtomicInteger();
        private final String name;
        private final long delayMillis;
        private final HttpServer server;
        private final ExecutorService handlers = Executors.newFixedThreadPool(4);
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

        Origin(String name, long delayMillis) throws IOException {
            this.name = name;
            this.delayMillis = delayMillis;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            server.setExecutor(handlers);
            server.createContext("/", this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            int now = inFlight.incrementAndGet();
            mostInFlight.accumulateAndGet(now, Math::max);
            if (delayMillis == 0) {
                answer(exchange);
            } else {
                timer.schedule(() -> answer(exchange), delayMillis, TimeUnit.MILLISECONDS);
            }
        }

        private void answer(HttpExchange exchange) {
            byte[] body = (name + " " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(200, body.length);
                out.write(body);
            } catch (IOException e) {
                // the proxy gave up on this copy: nothing to answer
            } finally {
                inFlight.decrementAndGet();
                answered.incrementAndGet();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            timer.shutdownNow();
            handlers.shutdownNow();
        }
    }
}
