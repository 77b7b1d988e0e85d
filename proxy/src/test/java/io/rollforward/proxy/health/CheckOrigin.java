package io.rollforward.proxy.health;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test origin whose {@code /.testpage} is healthy or not at the test's command, counting the
 * good and bad answers it gave (counted when answered, so a check's verdict and the count agree).
 * Every other path answers 200 "ok".
 */
final class CheckOrigin implements AutoCloseable {
    final AtomicBoolean healthy = new AtomicBoolean(true);
    final AtomicInteger good = new AtomicInteger();
    final AtomicInteger bad = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    CheckOrigin() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String body;
            if (path.equals("/.testpage")) {
                boolean ok = healthy.get();
                // a right status with the wrong body: only the receive string tells them apart
                body = ok ? "test page" : "maintenance";
                (ok ? good : bad).incrementAndGet();
            } else {
                requests.incrementAndGet();
                body = "ok";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Switches health and resets both counters. */
    synchronized void setHealthy(boolean value) {
        healthy.set(value);
        good.set(0);
        bad.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
