package io.rollforward.proxy.ordering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.config.AdminConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.OrderingConfig;
import io.rollforward.config.RejoinConfig;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.testing.ListOrigin;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordered writes through the real proxy to two stateful origins ({@link ListOrigin}): the lists
 * end up identical, different paths run in parallel with {@code key: path}, and a master that
 * times out on a write is out of step until the admin rejoins it.
 */
class OrderedWritesTest {
    private static final RejoinConfig MANUAL = new RejoinConfig(RejoinConfig.Policy.MANUAL, List.of(), Duration.ofSeconds(5));

    @TempDir
    Path dir;

    private final List<AutoCloseable> closing = new ArrayList<>();
    private ListOrigin master;
    private ListOrigin backup;
    private ProxyUnderTest proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            // the backups' replies may still be on their way: let every exchange finish (and
            // release its buffers) before the proxy stops
            await().atMost(30, TimeUnit.SECONDS).until(() -> proxy.proxy().inflight().size() == 0);
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private void start(Duration jitter, Duration fixed, UnaryOperator<RollforwardConfig> tweak) throws Exception {
        start(jitter, fixed, MANUAL, tweak);
    }

    private void start(Duration jitter, Duration fixed, RejoinConfig rejoin, UnaryOperator<RollforwardConfig> tweak)
            throws Exception {
        master = new ListOrigin(jitter, fixed);
        closing.add(master);
        backup = new ListOrigin(jitter, fixed);
        closing.add(backup);
        Path token = dir.resolve("token");
        Files.writeString(token, "s3cret\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        proxy = ProxyUnderTest.start(c -> tweak.apply(c
                .withReplicas(List.of(
                        new ReplicaConfig("master", HostPort.of("127.0.0.1", master.port()), Optional.empty(), Optional.empty(), rejoin),
                        new ReplicaConfig("backup", HostPort.of("127.0.0.1", backup.port()), Optional.empty(), Optional.empty(), MANUAL)))
                .withEjectAfter(0)
                .withPerRequestTimeout(Duration.ofSeconds(20))
                .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", 0), Optional.of(token)))));
        closing.add(proxy);
    }

    private static UnaryOperator<RollforwardConfig> ordered(OrderingConfig.Key key) {
        return c -> c.withOrdering(new OrderingConfig(OrderingConfig.DEFAULT_METHODS, key, OrderingConfig.Reads.FREE));
    }

    private CompletableFuture<HttpResponse<String>> post(String path, String body) {
        return proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code clients} clients, each POSTing {@code each} bodies one after the other; all must get 200. */
    private void postConcurrently(int clients, int each, int paths) {
        List<CompletableFuture<?>> chains = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String path = "/p" + (c % paths) + "/items";
            CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
            for (int i = 0; i < each; i++) {
                String body = "client" + c + "-" + i;
                chain = chain.thenCompose(x -> post(path, body)).thenAccept(r -> assertThat(r.statusCode()).isEqualTo(200));
            }
            chains.add(chain);
        }
        CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();
    }

    @Test
    void fiftyClientsTimesTwentyPostsLeaveTheTwoListsIdenticalElementByElement() throws Exception {
        start(Duration.ofMillis(3), Duration.ZERO, ordered(OrderingConfig.Key.SERVICE));

        postConcurrently(50, 20, 1);

        await().atMost(30, TimeUnit.SECONDS).until(() -> backup.list("/p0/items").size() == 1000);
        List<String> onMaster = master.list("/p0/items");
        assertThat(onMaster).hasSize(1000).doesNotHaveDuplicates();
        assertThat(backup.list("/p0/items")).isEqualTo(onMaster);
        // and in the order the proxy received them: each client's POSTs in its own order
        Map<String, Integer> lastOfClient = new HashMap<>();
        for (String entry : onMaster) {
            String[] parts = entry.split("-");
            int i = Integer.parseInt(parts[1]);
            assertThat(lastOfClient.getOrDefault(parts[0], -1)).isEqualTo(i - 1);
            lastOfClient.put(parts[0], i);
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> proxy.proxy().metrics().scrape()
                .contains("rollforward_queued_writes{key_kind=\"service\"} 0.0"));
        // one wait sample per replica copy of each POST, exactly
        java.util.regex.Matcher waits = java.util.regex.Pattern
                .compile("rollforward_write_queue_wait_seconds_count\\{key_kind=\"service\"} ([0-9.]+)")
                .matcher(proxy.proxy().metrics().scrape());
        assertThat(waits.find()).isTrue();
        assertThat(Double.parseDouble(waits.group(1))).isEqualTo(2000.0);
    }

    @Test
    void keyPathLetsTwoPathsProceedInParallelAndKeepsEachInOrder() throws Exception {
        start(Duration.ZERO, Duration.ofMillis(20), ordered(OrderingConfig.Key.PATH));

        postConcurrently(4, 10, 2);

        await().atMost(30, TimeUnit.SECONDS).until(() -> backup.journal().size() == 80 && master.journal().size() == 80);
        for (ListOrigin origin : List.of(master, backup)) {
            assertThat(maxInProgress(origin.journal(), null)).as("writes of two paths overlap").isEqualTo(2);
            assertThat(maxInProgress(origin.journal(), "/p0/items")).as("one path, one at a time").isEqualTo(1);
            assertThat(maxInProgress(origin.journal(), "/p1/items")).isEqualTo(1);
        }
        assertThat(backup.list("/p0/items")).isEqualTo(master.list("/p0/items"));
        assertThat(backup.list("/p1/items")).isEqualTo(master.list("/p1/items"));
    }

    @Test
    void keyServiceRunsOneWriteAtATimeOnEachReplica() throws Exception {
        start(Duration.ZERO, Duration.ofMillis(5), ordered(OrderingConfig.Key.SERVICE));

        postConcurrently(4, 5, 2);

        await().atMost(30, TimeUnit.SECONDS).until(() -> backup.journal().size() == 40 && master.journal().size() == 40);
        assertThat(maxInProgress(master.journal(), null)).isEqualTo(1);
        assertThat(maxInProgress(backup.journal(), null)).isEqualTo(1);
    }

    /** The most POSTs in progress at once, by the journal's sequence (of one path, or all when null). */
    private static int maxInProgress(List<ListOrigin.Event> journal, String path) {
        int now = 0;
        int max = 0;
        for (ListOrigin.Event e : journal) {
            if (path != null && !path.equals(e.path())) {
                continue;
            }
            now += e.what().equals("start") ? 1 : -1;
            max = Math.max(max, now);
        }
        return max;
    }

    @Test
    void aMasterThatTimesOutOnAPostIsOutOfStepUntilRejoined() throws Exception {
        start(Duration.ZERO, Duration.ZERO, c -> ordered(OrderingConfig.Key.SERVICE).apply(c)
                .withPerRequestTimeout(Duration.ofSeconds(2)));
        master.hangOn(body -> body.equals("slow"));

        HttpResponse<String> reply = post("/items", "slow").join();
        assertThat(reply.statusCode()).isEqualTo(200);
        assertThat(reply.headers().firstValue("X-Served-By")).contains("backup");

        await().atMost(10, TimeUnit.SECONDS).until(() -> !replica("master").inService());
        Map<String, Object> status = proxy.proxy().health().health("master").orElseThrow().status();
        assertThat(status.get("state")).isEqualTo("DOWN");
        assertThat(status.get("waiting_for")).isEqualTo("manual");
        assertThat(String.valueOf(((Map<?, ?>) status.get("down_by")).keySet())).isEqualTo("[out_of_step]");
        assertThat(((Map<?, ?>) status.get("down_by")).get("out_of_step").toString())
                .startsWith("failed POST /items (timeout: no reply head within 2000ms) that backup answered 200");
        assertThat(proxy.proxy().metrics().scrape()).contains("rollforward_out_of_step_total{replica=\"master\"} 1.0");

        assertThat(post("/items", "while-out").join().statusCode()).isEqualTo(200);
        assertThat(master.received()).containsExactly("slow");

        HttpResponse<String> rejoin = proxy.client().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + proxy.proxy().adminAddress().getPort() + "/replicas/master/rejoin"))
                .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rejoin.statusCode()).isEqualTo(200);
        assertThat(replica("master").inService()).isTrue();

        assertThat(post("/items", "after").join().headers().firstValue("X-Served-By")).contains("master");
        assertThat(master.received()).containsExactly("slow", "after");
        assertThat(backup.received()).containsExactly("slow", "while-out", "after");
    }

    @Test
    void withARejoinHookTheMasterOutOfStepComesBackWhenTheHookExitsZero() throws Exception {
        Path resynced = dir.resolve("resynced");
        RejoinConfig hook = new RejoinConfig(RejoinConfig.Policy.HOOK, List.of("/bin/touch", resynced.toString()),
                Duration.ofSeconds(10));
        start(Duration.ZERO, Duration.ZERO, hook, c -> ordered(OrderingConfig.Key.SERVICE).apply(c)
                .withPerRequestTimeout(Duration.ofSeconds(2)));
        master.hangOn(body -> body.equals("slow"));

        assertThat(post("/items", "slow").join().statusCode()).isEqualTo(200);

        await().atMost(20, TimeUnit.SECONDS).until(() -> Files.exists(resynced) && replica("master").inService());
        assertThat(proxy.proxy().health().health("master").orElseThrow().status().get("down_by").toString()).isEqualTo("{}");
        assertThat(post("/items", "after").join().headers().firstValue("X-Served-By")).contains("master");
    }

    @Test
    void aWriteOverTheQueueBoundGets503() throws Exception {
        start(Duration.ZERO, Duration.ZERO, c -> ordered(OrderingConfig.Key.SERVICE).apply(c)
                .withLimits(c.limits().withQueuedWrites(1, 1)).withPerRequestTimeout(Duration.ofSeconds(3)));
        master.hangOn(body -> body.equals("stuck"));
        backup.hangOn(body -> body.equals("stuck"));
        CompletableFuture<HttpResponse<String>> first = post("/items", "stuck");
        await().atMost(10, TimeUnit.SECONDS).until(() -> master.received().contains("stuck"));

        HttpResponse<String> refused = post("/items", "second").join();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("limits.max-queued-writes");
        assertThat(proxy.proxy().metrics().scrape())
                .contains("rollforward_write_queue_refused_total{bound=\"total\",key_kind=\"service\"} 1.0")
                .contains("rollforward_client_rejected_total{reason=\"write_queue_full\"} 1.0");
        String status = proxy.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + proxy.proxy().adminAddress().getPort() + "/status")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(status.replaceAll("\\s", ""))
                .contains("\"ordering\":{\"key_kind\":\"service\",\"queued_writes\":1,\"keys\":1,"
                        + "\"queued_per_replica\":{\"backup\":1,\"master\":1},\"deepest_keys\":[{");
        assertThat(first.join().statusCode()).isEqualTo(504);
    }

    private io.rollforward.proxy.replica.Replica replica(String name) {
        return proxy.proxy().replicas().byName(name).orElseThrow();
    }
}
