package io.rollforward.proxy.reload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback origin that counts the requests it received and answers its own name. {@code
 * /slow?ms=N} answers after N ms, from a timer (no sleeping thread), so a test holds requests in
 * flight across a reload.
 */
final class CountingOrigin implements AutoCloseable {
    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(4);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong slowAnswered = new AtomicLong();

    CountingOrigin(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(handlers);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        requests.incrementAndGet();
        String query = exchange.getRequestURI().getQuery();
        if (exchange.getRequestURI().getPath().equals("/slow") && query != null && query.startsWith("ms=")) {
            long ms = Long.parseLong(query.substring(3).split("&")[0]);
            timer.schedule(() -> {
                answer(exchange);
                slowAnswered.incrementAndGet();
            }, ms, TimeUnit.MILLISECONDS);
        } else {
            answer(exchange);
        }
    }

    private void answer(HttpExchange exchange) {
        byte[] body = name.getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(200, body.length);
            out.write(body);
        } catch (IOException e) {
            // the proxy closed the connection: nothing to answer
        }
    }

    String name() {
        return name;
    }

    /** {@code 127.0.0.1:port}, for a config's {@code url}. */
    String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests received since start (every path). */
    long requests() {
        return requests.get();
    }

    /** {@code /slow} replies written. */
    long slowAnswered() {
        return slowAnswered.get();
    }

    @Override
    public void close() {
        server.stop(0);
        timer.shutdownNow();
        handlers.shutdownNow();
    }
}
