package io.rollforward.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rollforward.config.Timing;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The detector on a fake clock: time moves only when the test says so. */
class FailureDetectorTest {
    /** keepalive 1s, warntime 3s, deadtime 6s, initdead 20s. */
    private static final Timing TIMING = new Timing(Duration.ofSeconds(1), Duration.ofSeconds(3),
            Duration.ofSeconds(6), Duration.ofSeconds(20));

    private final AtomicLong nanos = new AtomicLong(123_456_789L);
    private final RecordingEvents events = new RecordingEvents();
    private final FailureDetector detector = new FailureDetector(TIMING, nanos::get, events);
    private long seq;

    private void advance(long millis) {
        // Step in keepalive/4 like the scheduled check, so events fire when they are due.
        for (long t = 0; t < millis; t += 250) {
            nanos.addAndGet(Duration.ofMillis(Math.min(250, millis - t)).toNanos());
            detector.check();
        }
    }

    private void beat(String node, String link, NodeState state) {
        detector.onHeartbeat(link, HeartbeatPacket.of(node, state, 1000, ++seq, 0, OptionalInt.of(3)));
    }

    @Test
    void warnsOnceAtWarntimeAndDeclaresDeadAtDeadtime() {
        beat("web-1", "udp", NodeState.UP);
        assertThat(events.drain()).containsExactly(
                "state web-1 null->UP", "link web-1/udp STARTING->ALIVE", "node web-1 STARTING->ALIVE");
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.ALIVE);

        advance(2_750);
        assertThat(events.drain()).isEmpty();
        advance(250); // 3 s of silence: warntime
        assertThat(events.drain()).containsExactly(
                "late web-1/udp 3000", "link web-1/udp ALIVE->LATE", "node web-1 ALIVE->LATE");
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.LATE);
        assertThat(detector.aliveOnAnyLink("web-1")).isTrue();

        advance(2_750); // 5.75 s: still late, and warned only once
        assertThat(events.drain()).isEmpty();
        advance(250); // 6 s: deadtime
        assertThat(events.drain()).containsExactly("link web-1/udp LATE->DEAD", "node web-1 LATE->DEAD");
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.DEAD);
        assertThat(detector.aliveOnAnyLink("web-1")).isFalse();

        advance(30_000);
        assertThat(events.drain()).isEmpty();
    }

    @Test
    void steadyHeartbeatsRaiseNothing() {
        for (int i = 0; i < 100; i++) {
            beat("web-1", "udp", NodeState.UP);
            advance(1_000);
        }
        assertThat(events.drain()).containsExactly(
                "state web-1 null->UP", "link web-1/udp STARTING->ALIVE", "node web-1 STARTING->ALIVE");
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.ALIVE);
    }

    @Test
    void recoversWhenHeartbeatsResume() {
        beat("web-1", "udp", NodeState.UP);
        advance(7_000);
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.DEAD);
        events.drain();

        beat("web-1", "udp", NodeState.UP);
        assertThat(events.drain()).containsExactly("link web-1/udp DEAD->ALIVE", "node web-1 DEAD->ALIVE");
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.ALIVE);

        // A new late gap warns again.
        advance(3_000);
        assertThat(events.drain()).contains("late web-1/udp 3000");
    }

    @Test
    void initdeadAppliesToANodeNeverHeardSinceStart() {
        detector.watch("web-1", "udp");
        detector.watch("web-2", "udp");
        advance(6_000);
        beat("web-2", "udp", NodeState.UP);
        events.drain();
        // deadtime has passed, but web-1 was never heard: it gets initdead (20 s) to boot.
        advance(13_750);
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.STARTING);
        assertThat(events.drain()).doesNotContain("node web-1 STARTING->DEAD");
        advance(250);
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.DEAD);
        assertThat(events.drain()).containsExactly(
                "link web-1/udp STARTING->DEAD", "node web-1 STARTING->DEAD");
    }

    @Test
    void deadtimeNotInitdeadOnceANodeWasHeard() {
        detector.watch("web-1", "udp");
        beat("web-1", "udp", NodeState.UP);
        advance(6_000);
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.DEAD);
    }

    @Test
    void agentReportingDownIsDownAtOnceAndUpAgainAtOnce() {
        beat("web-1", "udp", NodeState.UP);
        events.drain();
        beat("web-1", "udp", NodeState.DOWN);
        assertThat(events.drain()).containsExactly("state web-1 UP->DOWN", "node web-1 ALIVE->REPORTED_DOWN");
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.REPORTED_DOWN);
        assertThat(detector.liveness("web-1").isUp()).isFalse();
        // Still heard: the link is alive, the node is merely not serving.
        assertThat(detector.aliveOnAnyLink("web-1")).isTrue();

        beat("web-1", "udp", NodeState.UP);
        assertThat(events.drain()).containsExactly("state web-1 DOWN->UP", "node web-1 REPORTED_DOWN->ALIVE");

        // An agent that says DOWN and then goes silent ends up DEAD.
        beat("web-1", "udp", NodeState.DOWN);
        advance(6_000);
        assertThat(detector.liveness("web-1")).isEqualTo(Liveness.DEAD);
    }

    @Test
    void peerIsDeadOnlyWhenEveryLinkIsSilent() {
        beat("proxy-b", "udp", NodeState.ACTIVE);
        beat("proxy-b", "serial", NodeState.ACTIVE);
        events.drain();
        // UDP goes quiet; serial keeps beating.
        for (int i = 0; i < 10; i++) {
            advance(1_000);
            beat("proxy-b", "serial", NodeState.ACTIVE);
        }
        assertThat(events.drain()).containsExactly("late proxy-b/udp 3000",
                "link proxy-b/udp ALIVE->LATE", "link proxy-b/udp LATE->DEAD");
        assertThat(detector.liveness("proxy-b")).isEqualTo(Liveness.ALIVE);
        assertThat(detector.aliveOnAnyLink("proxy-b")).isTrue();
        assertThat(detector.status("proxy-b").orElseThrow().links())
                .containsEntry("udp", Liveness.DEAD).containsEntry("serial", Liveness.ALIVE);

        // Now serial goes quiet too.
        advance(6_000);
        assertThat(detector.liveness("proxy-b")).isEqualTo(Liveness.DEAD);
        assertThat(events.drain()).contains("node proxy-b LATE->DEAD");
    }

    @Test
    void statusCarriesReportedStateLoadAndGeneration() {
        detector.onHeartbeat(HeartbeatPacket.of("proxy-b", NodeState.STANDBY, 555, 1, 0, OptionalInt.of(12)));
        NodeStatus s = detector.status("proxy-b").orElseThrow();
        assertThat(s.reported()).contains(NodeState.STANDBY);
        assertThat(s.load()).hasValue(12);
        assertThat(s.generation()).isEqualTo(555);
        assertThat(s.links()).containsOnlyKeys(FailureDetector.DEFAULT_LINK);
        assertThat(detector.statuses()).containsOnlyKeys("proxy-b");
        assertThat(detector.status("nobody")).isEmpty();
        assertThat(detector.liveness("nobody")).isEqualTo(Liveness.STARTING);
    }

    @Test
    void restartIsReported() {
        detector.onHeartbeat(HeartbeatPacket.of("web-1", NodeState.UP, 100, 50, 0, OptionalInt.empty()));
        detector.onHeartbeat(HeartbeatPacket.of("web-1", NodeState.UP, 200, 1, 0, OptionalInt.empty()));
        assertThat(events.drain()).contains("restarted web-1 100->200");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheDetector() {
        FailureDetector d = new FailureDetector(TIMING, nanos::get, new HeartbeatEvents() {
            @Override
            public void nodeChanged(String node, Liveness from, Liveness to) {
                throw new IllegalStateException("listener bug");
            }
        });
        d.onHeartbeat(HeartbeatPacket.of("web-1", NodeState.UP, 1, 1, 0, OptionalInt.empty()));
        assertThat(d.liveness("web-1")).isEqualTo(Liveness.ALIVE);
    }

    @Test
    void rejectsInconsistentTiming() {
        Timing bad = new Timing(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThatThrownBy(() -> new FailureDetector(bad, nanos::get, events))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("warntime: PT10S (expected: < deadtime PT5S)");
    }
}
