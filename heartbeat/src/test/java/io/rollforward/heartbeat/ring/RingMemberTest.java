package io.rollforward.heartbeat.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.config.GarpConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.RingConfig;
import io.rollforward.config.VipConfig;
import io.rollforward.heartbeat.AuthKey;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real JGroups channels on loopback, four members in this JVM, VIPs recorded instead of added:
 * the least-loaded survivor takes a leaving member's VIP (a busy one is not chosen), failback
 * auto and manual release first, and a member with the wrong key cannot join.
 */
class RingMemberTest {
    private static final AuthKey KEY = AuthKey.of("ring test key".getBytes(StandardCharsets.UTF_8));
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> NAMES = List.of("a", "b", "c", "d");

    /** Who holds each VIP on the (simulated) wire, and every time two did at once. */
    private final Map<String, String> wire = new ConcurrentHashMap<>();
    private final List<String> twoHolders = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicReference<MemberLoad>> loads = new ConcurrentHashMap<>();
    private final Map<String, RingMember> members = new ConcurrentHashMap<>();
    private final List<RingConfig.Member> addresses = new ArrayList<>();

    @AfterEach
    void stopAll() {
        members.values().forEach(RingMember::close);
    }

    @Test
    void leastLoadedSurvivorTakesOverAndAutoFailbackReleasesFirst() throws IOException {
        ports();
        NAMES.forEach(n -> start(n, RingConfig.Failback.AUTO, KEY));
        awaitHolders(Map.of("v1", "a", "v2", "b", "v3", "c", "v4", "d"));

        loads.get("a").set(new MemberLoad(50, 100)); // busy: must not be chosen
        loads.get("b").set(new MemberLoad(10, 20));
        await().atMost(WAIT).until(() -> members.get("a").status().toString().contains("inflight=50")
                && members.get("a").status().toString().contains("inflight=10"));
        members.remove("c").close();
        awaitHolders(Map.of("v1", "a", "v2", "b", "v3", "d", "v4", "d"));

        start("c", RingConfig.Failback.AUTO, KEY);
        awaitHolders(Map.of("v1", "a", "v2", "b", "v3", "c", "v4", "d"));
        assertThat(twoHolders).isEmpty();
    }

    @Test
    void manualFailbackWaitsForTheRequest() throws IOException {
        ports();
        NAMES.forEach(n -> start(n, RingConfig.Failback.MANUAL, KEY));
        awaitHolders(Map.of("v1", "a", "v2", "b", "v3", "c", "v4", "d"));
        members.remove("b").close();
        awaitHolders(Map.of("v2", "a"));
        start("b", RingConfig.Failback.MANUAL, KEY);
        await().atMost(WAIT).until(() -> members.get("a").view().size() == 4);
        await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> "a".equals(wire.get("v2")));
        // Asked at a member that is not the coordinator: forwarded to it.
        assertThat(members.get("d").failback("v2/0").join()).isEqualTo("forwarded to a");
        awaitHolders(Map.of("v2", "b"));
        assertThat(twoHolders).isEmpty();
    }

    @Test
    void aMemberWithTheWrongKeyCannotJoin() throws IOException {
        ports();
        start("a", RingConfig.Failback.AUTO, KEY);
        start("b", RingConfig.Failback.AUTO, KEY);
        await().atMost(WAIT).until(() -> members.get("a").view().size() == 2);
        start("c", RingConfig.Failback.AUTO, AuthKey.of("another key".getBytes(StandardCharsets.UTF_8)));
        await().during(Duration.ofSeconds(3)).atMost(WAIT)
                .until(() -> members.get("a").view().equals(List.of("a", "b")));
        assertThat(members.get("c").view()).doesNotContain("a", "b");
        assertThat(wire.get("v3")).isNotEqualTo("c");
    }

    private void awaitHolders(Map<String, String> expected) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(wire).containsAllEntriesOf(expected));
    }

    private void ports() throws IOException {
        for (String name : NAMES) {
            try (ServerSocket s = new ServerSocket(0)) {
                addresses.add(new RingConfig.Member(name, new HostPort("127.0.0.1", s.getLocalPort())));
            }
        }
    }

    private void start(String name, RingConfig.Failback failback, AuthKey key) {
        List<RingConfig.RingVip> vips = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            vips.add(new RingConfig.RingVip(new VipConfig("v" + (i + 1), 0, "lo", GarpConfig.DEFAULT), NAMES.get(i)));
        }
        RingConfig config = new RingConfig(name, addresses, Path.of("unused"), Duration.ofSeconds(1),
                vips,
                failback, Duration.ofSeconds(1), RingConfig.Quorum.MAJORITY);
        AtomicReference<MemberLoad> load = loads.computeIfAbsent(name, n -> new AtomicReference<>(MemberLoad.IDLE));
        Supplier<MemberLoad> supplier = load::get;
        members.put(name, RingMember.start(config, key, new RecordingVips(name), supplier, RingMember.Events.NONE));
    }

    /** A member's VIPs on the shared {@link #wire}; strips the "/0" prefix of the id. */
    private final class RecordingVips implements RingMember.LocalVips {
        private final String member;

        RecordingVips(String member) {
            this.member = member;
        }

        @Override
        public CompletableFuture<Void> acquire(String vip) {
            String id = vip.replace("/0", "");
            String before = wire.put(id, member);
            if (before != null && !before.equals(member)) {
                twoHolders.add(id + ": " + member + " took it while " + before + " held it");
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Void> release(String vip) {
            wire.remove(vip.replace("/0", ""), member);
            return CompletableFuture.completedFuture(null);
        }
    }
}
