package io.rollforward.proxy.apache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.config.ReplicaConfig;
import io.rollforward.proxy.testing.ApacheInstance;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two real Apache 2.4 servers behind the proxy: replies are byte-identical to asking Apache
 * directly, and killing the master with kill -9 while 20 slow requests are in flight costs the
 * clients nothing: all 20 get the backup's 200.
 */
class ApacheRollForwardTest {
    private static final List<String> FILES = List.of("/index.html", "/1k.bin", "/64k.bin", "/big.bin", "/.testpage");
    private static ApacheInstance master;
    private static ApacheInstance backup;
    private static final HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void startApaches() throws Exception {
        ApacheInstance.assumeAvailable();
        master = ApacheInstance.start("master");
        backup = ApacheInstance.start("backup");
    }

    @AfterAll
    static void stopApaches() {
        if (master != null) {
            master.close();
        }
        if (backup != null) {
            backup.close();
        }
    }

    private static ProxyUnderTest proxy() throws InterruptedException {
        return new ProxyUnderTest.Builder().config(c -> c
                .withReplicas(List.of(ReplicaConfig.of("master", master.hostPort()), ReplicaConfig.of("backup", backup.hostPort())))
                .withPerRequestTimeout(Duration.ofSeconds(10)))
                .start();
    }

    private static byte[] directly(String path) throws Exception {
        return direct.send(HttpRequest.newBuilder(master.baseUri().resolve(path)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    @Test
    void sequentialAndConcurrentRepliesAreByteIdenticalToApacheDirect() throws Exception {
        try (ProxyUnderTest proxy = proxy()) {
            for (int i = 0; i < 200; i++) {
                String path = FILES.get(i % FILES.size());
                HttpResponse<byte[]> r = proxy.getBytes(path);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.body()).as(path).isEqualTo(directly(path));
                assertThat(r.headers().firstValue("X-Served-By")).contains("master");
            }
            List<CompletableFuture<HttpResponse<byte[]>>> concurrent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                concurrent.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri(FILES.get(i % FILES.size())))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray()));
            }
            for (int i = 0; i < 50; i++) {
                String path = FILES.get(i % FILES.size());
                HttpResponse<byte[]> r = concurrent.get(i).get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).as(path).isEqualTo(directly(path));
            }
            // identical files on both servers: no divergence was counted
            assertThat(proxy.proxy().metrics().scrape()).contains("rollforward_divergences_total{kind=\"body\"} 0.0");
        }
    }

    @Test
    void killingTheMasterWithTwentyRequestsInFlightCostsTheClientsNothing() throws Exception {
        try (ProxyUnderTest proxy = proxy()) {
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                inFlight.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/cgi-bin/slow?ms=2500&id=r" + i))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> ApacheSlowRequests.running(master) >= 20);
            long killedAt = System.nanoTime();
            master.killHard();
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = inFlight.get(i).get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as("request %d", i).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Served-By")).as("request %d", i).contains("backup");
                assertThat(r.headers().firstValue("X-Req-Id")).contains("r" + i);
                assertThat(r.body()).isEqualTo("slept 2500 ms\n");
            }
            System.out.printf("kill -9 of the master Apache with 20 slow requests in flight: 20/20 answered 200 by the backup, last %d ms after the kill%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
            HttpResponse<String> after = proxy.get("/index.html");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.headers().firstValue("X-Served-By")).contains("backup");
        } finally {
            master.restart();
        }
    }
}
