package io.rollforward.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.config.ConfigLoader;
import io.rollforward.proxy.Rollforward;
import io.rollforward.proxy.admin.AdminResult;
import io.rollforward.proxy.health.HealthSource;
import io.rollforward.proxy.replica.Replica;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reload that changes the replicas or the groups, over real sockets, read from the file as
 * SIGHUP and {@code POST /reload} read it: new requests reach an added replica while slow ones in
 * flight on the old set finish; a removed replica gets nothing new, finishes what it has, and its
 * pool and meters go; kept replicas keep their pool and a DOWN verdict; weights and members of
 * groups apply; reloads under a bounded load lose nothing; an invalid file is refused with
 * check-config's errors and the old set serves on.
 */
class ReplicaReloadTest {
    @TempDir
    Path dir;
    private final List<CountingOrigin> origins = new ArrayList<>();
    private CountingOrigin a;
    private CountingOrigin b;
    private CountingOrigin c;
    private CountingOrigin d;
    private CountingOrigin e;
    private Rollforward proxy;
    private Path file;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void origins() throws IOException {
        a = origin("a");
        b = origin("b");
        c = origin("c");
        d = origin("d");
        e = origin("e");
    }

    private CountingOrigin origin(String name) throws IOException {
        CountingOrigin o = new CountingOrigin(name);
        origins.add(o);
        return o;
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        origins.forEach(CountingOrigin::close);
    }

    private static String replicas(CountingOrigin... members) {
        StringBuilder s = new StringBuilder("replicas:\n");
        for (CountingOrigin o : members) {
            s.append("  - {name: ").append(o.name()).append(", url: http://").append(o.hostPort()).append("}\n");
        }
        return s.toString();
    }

    private void write(String body) throws IOException {
        Files.writeString(file, "listen: 127.0.0.1:0\n"
                + "admin: {listen: 127.0.0.1:0}\n"
                + "per-request-timeout: 10s\n"
                + "shutdown-timeout: 20s\n"
                + body);
    }

    private void start(String body) throws Exception {
        file = dir.resolve("rollforward.yaml");
        write(body);
        proxy = Rollforward.start(ConfigLoader.load(file));
        proxy.reloadsFrom(file);
    }

    private AdminResult reload(String body) throws IOException {
        write(body);
        return proxy.reload();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.frontAddress().getPort() + path))
                .timeout(Duration.ofSeconds(30)).build();
    }

    private List<CompletableFuture<HttpResponse<String>>> slow(int count, long ms) {
        List<CompletableFuture<HttpResponse<String>>> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(client.sendAsync(request("/slow?ms=" + ms + "&i=" + i), HttpResponse.BodyHandlers.ofString()));
        }
        return list;
    }

    private static void allOk(List<CompletableFuture<HttpResponse<String>>> inFlight) throws Exception {
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    private boolean hasReplicaMeters(String name) {
        return proxy.metrics().registry().find("rollforward.replica.up").tag("replica", name).gauge() != null;
    }

    @Test
    void anAddedReplicaGetsNewRequestsWhileSlowOnesOnTheOldSetFinish() throws Exception {
        start(replicas(a, b));
        Replica keptA = proxy.replicas().byName("a").orElseThrow();
        proxy.health().health("b").orElseThrow().report(HealthSource.ADMIN, false, "taken out by the test");
        await().atMost(Duration.ofSeconds(10)).until(() -> !proxy.replicas().byName("b").orElseThrow().inService());
        assertThat(get("/").statusCode()).isEqualTo(200);

        List<CompletableFuture<HttpResponse<String>>> inFlight = slow(4, 1500);
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.inflight().size() == 4);
        AdminResult result = reload(replicas(a, b, c));
        assertThat(result.status()).as(result.message()).isEqualTo(200);
        assertThat(result.message()).contains("added c");

        for (int i = 0; i < 10; i++) {
            assertThat(get("/n" + i).statusCode()).isEqualTo(200);
        }
        // each reply is the first copy's: c's own copies may still be arriving
        await().atMost(Duration.ofSeconds(10)).until(() -> c.requests() >= 10);
        allOk(inFlight);
        assertThat(c.slowAnswered()).isZero(); // the slow ones started on the old set
        // kept: the same replica, pool and verdict; b is still DOWN and gets nothing
        assertThat(proxy.replicas().byName("a").orElseThrow()).isSameAs(keptA);
        assertThat(proxy.replicas().byName("b").orElseThrow().inService()).isFalse();
        assertThat(b.requests()).isZero();
        assertThat(hasReplicaMeters("c")).isTrue();
        assertThat(proxy.health().status()).extracting(m -> m.get("name")).containsExactly("a", "b", "c");
    }

    @Test
    void aRemovedReplicaGetsNothingNewAndFinishesWhatItHas() throws Exception {
        start(replicas(a, b, c));
        List<CompletableFuture<HttpResponse<String>>> inFlight = slow(3, 1500);
        await().atMost(Duration.ofSeconds(10)).until(() -> c.requests() == 3);
        AdminResult result = reload(replicas(a, b));
        assertThat(result.status()).as(result.message()).isEqualTo(200);
        assertThat(result.message()).contains("retired c");
        long cBefore = c.requests();
        for (int i = 0; i < 10; i++) {
            assertThat(get("/n" + i).body()).isEqualTo("a");
        }
        assertThat(c.requests()).isEqualTo(cBefore);
        assertThat(hasReplicaMeters("c")).as("meters stay while its exchanges run").isTrue();
        allOk(inFlight);
        await().atMost(Duration.ofSeconds(10)).until(() -> c.slowAnswered() == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> !hasReplicaMeters("c"));
        assertThat(proxy.replicas().all()).extracting(Replica::name).containsExactly("a", "b");
    }

    @Test
    void weightsAndMembersOfGroupsApply() throws Exception {
        start(groups(1, 0, d));
        for (int i = 0; i < 5; i++) {
            assertThat(get("/g" + i).body()).isEqualTo("a");
        }
        assertThat(c.requests()).isZero();
        AdminResult weights = reload(groups(0, 1, d));
        assertThat(weights.status()).as(weights.message()).isEqualTo(200);
        for (int i = 0; i < 5; i++) {
            assertThat(get("/w" + i).body()).isEqualTo("c");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> d.requests() >= 5); // the backup's copies may lag the replies
        assertThat(d.requests()).isEqualTo(5);
        long aBefore = a.requests();
        AdminResult members = reload(groups(0, 1, e));
        assertThat(members.status()).as(members.message()).isEqualTo(200);
        assertThat(members.message()).contains("added e").contains("retired d");
        for (int i = 0; i < 5; i++) {
            assertThat(get("/m" + i).body()).isEqualTo("c");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> e.requests() >= 5);
        assertThat(e.requests()).isEqualTo(5);
        assertThat(d.requests()).isEqualTo(5);
        assertThat(a.requests()).isEqualTo(aBefore);
        assertThat(proxy.groups().byName("east").orElseThrow().weight()).isZero();
        assertThat(proxy.groups().byName("west").orElseThrow().all()).extracting(Replica::name).containsExactly("c", "e");
        assertThat(proxy.metrics().registry().find("rollforward.group.weight").tag("group", "west").gauge().value())
                .isEqualTo(1.0);
    }

    /** east = a, b; west = c and {@code westBackup}. */
    private String groups(int eastWeight, int westWeight, CountingOrigin westBackup) {
        return "groups:\n"
                + "  - name: east\n    weight: " + eastWeight + "\n    replicas:\n"
                + "      - {name: a, url: http://" + a.hostPort() + "}\n"
                + "      - {name: b, url: http://" + b.hostPort() + "}\n"
                + "  - name: west\n    weight: " + westWeight + "\n    replicas:\n"
                + "      - {name: c, url: http://" + c.hostPort() + "}\n"
                + "      - {name: " + westBackup.name() + ", url: http://" + westBackup.hostPort() + "}\n";
    }

    @Test
    void replicaChangingReloadsUnderLoadCostNoRequest() throws Exception {
        start(replicas(a, b));
        AtomicLong ok = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<CompletableFuture<Void>> loaders = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int id = t;
            // bounded: at most 20 s and 3,000 requests per loader
            loaders.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 3000 && System.nanoTime() < until && ok.get() >= 0; i++) {
                    try {
                        HttpResponse<String> r = get("/l" + id + "-" + i);
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (IOException | InterruptedException e) {
                        failed.incrementAndGet();
                        failures.add(e.toString());
                    }
                    if (done.get()) {
                        return;
                    }
                }
            }));
        }
        CountingOrigin[][] sets = {{a, b, c}, {a, c}, {b, c}, {c, a, b}, {b, a}, {a, b}};
        for (CountingOrigin[] set : sets) {
            long before = ok.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> ok.get() >= before + 20);
            AdminResult r = reload(replicas(set));
            assertThat(r.status()).as(r.message()).isEqualTo(200);
        }
        done.set(true);
        CompletableFuture.allOf(loaders.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
        assertThat(failures).isEmpty();
        assertThat(failed.get()).isZero();
        assertThat(ok.get()).isGreaterThan(100);
        assertThat(c.requests()).isPositive();
    }

    private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

    @Test
    void anInvalidReplicaChangeIsRefusedAndTheOldSetServes() throws Exception {
        start(replicas(a, b));
        write(replicas(a, b) + "  - {name: a, url: http://" + c.hostPort() + "}\n");
        AdminResult result = proxy.reload();
        assertThat(result.status()).isEqualTo(409);
        assertThat(result.message()).contains(file.toString() + ":").contains("has errors, the running config stays");
        assertThat(proxy.replicas().all()).extracting(Replica::name).containsExactly("a", "b");
        assertThat(get("/after").body()).isEqualTo("a");
        await().atMost(Duration.ofSeconds(10)).until(() -> b.requests() > 0);
        assertThat(c.requests()).isZero();

        AdminResult unresolved = reload(replicas(a, b) + "  - {name: d, url: http://no-such-host.invalid:80}\n");
        assertThat(unresolved.status()).isEqualTo(409);
        assertThat(unresolved.message()).contains("no-such-host.invalid").contains("the running config stays");
        assertThat(proxy.replicas().all()).extracting(Replica::name).containsExactly("a", "b");
        assertThat(get("/after2").body()).isEqualTo("a");
    }

    @Test
    void listenAddressesStayRestartOnly() throws Exception {
        start(replicas(a, b));
        Files.writeString(file, "listen: 127.0.0.1:1\nadmin: {listen: 127.0.0.1:0}\n" + replicas(a, c));
        AdminResult result = proxy.reload();
        assertThat(result.status()).isEqualTo(409);
        assertThat(result.message()).contains("listen").contains("needs a restart");
        assertThat(proxy.replicas().all()).extracting(Replica::name).containsExactly("a", "b");
    }
}
