package io.rollforward.proxy.apache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.config.CheckConfig;
import io.rollforward.config.GroupConfig;
import io.rollforward.config.LardConfig;
import io.rollforward.config.RejoinConfig;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.SchedulerKind;
import io.rollforward.config.Scheduling;
import io.rollforward.proxy.replica.ReplicaGroup;
import io.rollforward.proxy.schedule.GroupDispatcher;
import io.rollforward.proxy.testing.ApacheInstance;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three groups of two real Apache servers under {@code wrr} 4, 3, 2: the exact split, every request
 * on both replicas of its group (their access logs), a group whose two servers are killed leaves
 * the schedule with no client error, and weight 0 quiesces a group while its in-flight request
 * finishes.
 */
class ApacheGroupsTest {
    private static final String[] GROUPS = {"a", "b", "c"};
    private static final int[] WEIGHTS = {4, 3, 2};
    // A killed group leaves the schedule within a few seconds; lenient enough for a loaded CI machine.
    private static final CheckConfig CHECK = new CheckConfig("/.testpage", 200, Optional.empty(),
            Duration.ofMillis(1000), Duration.ofMillis(900), 1, 3);
    private static final Map<String, ApacheInstance> apaches = new HashMap<>();

    @BeforeAll
    static void startApaches() throws Exception {
        ApacheInstance.assumeAvailable();
        for (String g : GROUPS) {
            for (int r = 1; r <= 2; r++) {
                apaches.put(g + r, ApacheInstance.start(g + r));
            }
        }
    }

    @AfterAll
    static void stopApaches() {
        apaches.values().forEach(ApacheInstance::close);
    }

    private static ProxyUnderTest proxy() throws InterruptedException {
        List<GroupConfig> groups = new ArrayList<>();
        for (int i = 0; i < GROUPS.length; i++) {
            groups.add(new GroupConfig(GROUPS[i], WEIGHTS[i], List.of(replica(GROUPS[i] + 1), replica(GROUPS[i] + 2))));
        }
        return new ProxyUnderTest.Builder().config(c -> c
                .withScheduling(new Scheduling(SchedulerKind.WRR, groups, LardConfig.DEFAULT))
                .withPerRequestTimeout(Duration.ofSeconds(10)))
                .start();
    }

    private static ReplicaConfig replica(String name) {
        return new ReplicaConfig(name, apaches.get(name).hostPort(), Optional.of(CHECK), Optional.empty(),
                RejoinConfig.IMMEDIATE);
    }

    /** {@code count} sequential GETs tagged {@code tag}; the X-Served-By of each, in order. All must be 200. */
    private static List<String> send(ProxyUnderTest proxy, String tag, int count) throws Exception {
        List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpResponse<String> r = proxy.get("/index.html?" + tag + "=" + i);
            assertThat(r.statusCode()).as("request %s %d", tag, i).isEqualTo(200);
            servedBy.add(r.headers().firstValue("X-Served-By").orElse("?"));
        }
        return servedBy;
    }

    private static Map<String, Integer> countByReplica(List<String> servedBy) {
        Map<String, Integer> counts = new HashMap<>();
        servedBy.forEach(name -> counts.merge(name, 1, Integer::sum));
        return counts;
    }

    /** The request numbers with {@code tag} in {@code replica}'s access log. */
    private static Set<Integer> logged(String replica, String tag) throws IOException {
        Pattern line = Pattern.compile("\"GET /index\\.html\\?" + tag + "=(\\d+) HTTP");
        Set<Integer> numbers = new TreeSet<>();
        for (String l : Files.readAllLines(apaches.get(replica).errorLog().resolveSibling("access.log"))) {
            Matcher m = line.matcher(l);
            if (m.find()) {
                numbers.add(Integer.parseInt(m.group(1)));
            }
        }
        return numbers;
    }

    private static ReplicaGroup group(ProxyUnderTest proxy, String name) {
        return groups(proxy).byName(name).orElseThrow();
    }

    private static GroupDispatcher groups(ProxyUnderTest proxy) {
        return proxy.proxy().groups();
    }

    @Test
    void wrr432Splits900RequestsExactlyAndBothReplicasOfEachGroupRunThem() throws Exception {
        try (ProxyUnderTest proxy = proxy()) {
            List<String> servedBy = send(proxy, "split", 900);
            assertThat(countByReplica(servedBy)).isEqualTo(Map.of("a1", 400, "b1", 300, "c1", 200));
            assertThat(servedBy.subList(0, 9)).containsExactly("a1", "a1", "b1", "a1", "b1", "c1", "a1", "b1", "c1");
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.proxy().inflight().size() == 0);
            for (String g : GROUPS) {
                Set<Integer> served = new TreeSet<>();
                for (int i = 0; i < servedBy.size(); i++) {
                    if (servedBy.get(i).equals(g + 1)) {
                        served.add(i);
                    }
                }
                // Access logs are written when the reply is done: wait for the last lines.
                await().atMost(Duration.ofSeconds(10)).until(() -> logged(g + 1, "split").equals(served)
                        && logged(g + 2, "split").equals(served));
            }
        }
    }

    @Test
    void aGroupWhoseServersAreKilledLeavesTheScheduleWithNoClientError() throws Exception {
        try (ProxyUnderTest proxy = proxy()) {
            send(proxy, "warm", 9);
            apaches.get("c1").killHard();
            apaches.get("c2").killHard();
            await().atMost(Duration.ofSeconds(20)).until(() -> !group(proxy, "c").inSchedule());
            List<String> servedBy = send(proxy, "moved", 70);
            // c's share went to a and b, in their 4:3 ratio; every request answered 200 (checked in send)
            assertThat(countByReplica(servedBy)).isEqualTo(Map.of("a1", 40, "b1", 30));
            apaches.get("c1").restart();
            apaches.get("c2").restart();
            await().atMost(Duration.ofSeconds(20)).until(() -> group(proxy, "c").inSchedule());
            assertThat(countByReplica(send(proxy, "back", 9))).isEqualTo(Map.of("a1", 4, "b1", 3, "c1", 2));
        } finally {
            for (String name : List.of("c1", "c2")) {
                if (!apaches.get(name).isRunning()) {
                    apaches.get(name).restart();
                }
            }
        }
    }

    @Test
    void weightZeroAtRuntimeSendsNothingNewWhileTheInFlightRequestFinishes() throws Exception {
        try (ProxyUnderTest proxy = proxy()) {
            GroupDispatcher groups = groups(proxy);
            groups.setWeight("a", 0);
            groups.setWeight("c", 0);
            CompletableFuture<HttpResponse<String>> slow = proxy.client().sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/cgi-bin/slow?ms=1500&id=q")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> group(proxy, "b").load() == 1);
            groups.setWeight("b", 0);
            groups.setWeight("a", 4);
            groups.setWeight("c", 2);
            List<String> servedBy = send(proxy, "quiesced", 12);
            assertThat(servedBy).doesNotContain("b1", "b2");
            assertThat(countByReplica(servedBy)).isEqualTo(Map.of("a1", 8, "c1", 4));
            assertThat(slow.isDone()).as("the quiesced group's request is still running").isFalse();
            HttpResponse<String> finished = slow.get(30, TimeUnit.SECONDS);
            assertThat(finished.statusCode()).isEqualTo(200);
            assertThat(finished.headers().firstValue("X-Served-By")).hasValue("b1");
            await().atMost(Duration.ofSeconds(10)).until(() -> group(proxy, "b").load() == 0);
        }
    }
}
