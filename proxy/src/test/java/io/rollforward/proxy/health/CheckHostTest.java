package io.rollforward.proxy.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.rollforward.config.CheckConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RejoinConfig;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code check.host}: the active check's {@code Host} header, seen by an origin that serves its
 * test page on one virtual host only (404 on any other), as name-based virtual hosting does.
 */
class CheckHostTest {
    private final List<String> hostsSeen = new CopyOnWriteArrayList<>();
    private HttpServer origin;
    private ProxyUnderTest proxy;

    @BeforeEach
    void virtualHostOrigin() throws Exception {
        origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        origin.createContext("/", exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (exchange.getRequestURI().getPath().equals("/.testpage")) {
                hostsSeen.add(host);
            }
            boolean ours = "www.example.test".equals(host);
            byte[] body = (ours ? "test page" : "no such site").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ours ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        origin.start();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        origin.stop(0);
    }

    private Replica start(Optional<String> host) throws Exception {
        CheckConfig check = new CheckConfig("/.testpage", 200, Optional.of("test page"), Duration.ofMillis(200),
                Duration.ofMillis(190), 1, 2, host);
        int port = origin.getAddress().getPort();
        proxy = new ProxyUnderTest.Builder().config(c -> c.withReplicas(List.of(
                new ReplicaConfig("web1", HostPort.of("127.0.0.1", port), Optional.of(check), Optional.empty(),
                        RejoinConfig.IMMEDIATE),
                ReplicaConfig.of("web2", HostPort.of("127.0.0.1", port))))).start();
        return proxy.proxy().replicas().byName("web1").orElseThrow();
    }

    @Test
    void checkSendsTheConfiguredHostAndPassesOnThatVirtualHost() throws Exception {
        Replica web1 = start(Optional.of("www.example.test"));
        await().atMost(Duration.ofSeconds(10)).until(() -> hostsSeen.size() >= 4);
        assertThat(hostsSeen).allMatch("www.example.test"::equals);
        assertThat(web1.inService()).isTrue();
    }

    @Test
    void withoutHostTheCheckSendsTheReplicasAddressAndFailsOnThisOrigin() throws Exception {
        Replica web1 = start(Optional.empty());
        await().atMost(Duration.ofSeconds(10)).until(() -> !web1.inService());
        assertThat(hostsSeen.get(0)).isEqualTo("127.0.0.1:" + origin.getAddress().getPort());
    }
}
