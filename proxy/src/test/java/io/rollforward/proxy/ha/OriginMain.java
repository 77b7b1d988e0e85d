package io.rollforward.proxy.ha;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Test origins for the HA namespace test, run as a child JVM in the origins namespace:
 * {@code OriginMain HOST PORT...} answers every request on each port with "ok from PORT".
 * Runs until killed.
 */
public final class OriginMain {
    private OriginMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String host = args[0];
        for (int i = 1; i < args.length; i++) {
            String port = args[i];
            HttpServer server = HttpServer.create(new InetSocketAddress(host, Integer.parseInt(port)), 100);
            byte[] body = ("ok from " + port + "\n").getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }
        System.out.println("origins ready");
        new CountDownLatch(1).await();
    }
}
