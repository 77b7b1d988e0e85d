package io.rollforward.fake;

import io.rollforward.config.GarpConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Announcement schedule with an injected sender that records when it was called. */
class ArpAnnouncerTest {
    private static final Duration ZERO = Duration.ZERO;

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> sends = new CopyOnWriteArrayList<>();
    private final Runnable recorder = () -> sends.add(System.nanoTime());

    @AfterEach
    void shutDown() {
        executor.shutdownNow();
    }

    @Test
    void burstSendsCountAnnouncementsIntervalApartThenStops() {
        Duration interval = Duration.ofMillis(100);
        ArpAnnouncer announcer = new ArpAnnouncer(new GarpConfig(4, interval, ZERO, ZERO), recorder, executor);

        long t0 = System.nanoTime();
        announcer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sends.size() >= 4);
        // Scheduled sends never run early: packet i leaves no sooner than i intervals after start.
        for (int i = 0; i < 4; i++) {
            assertThat(sends.get(i) - t0).as("send %d", i).isGreaterThanOrEqualTo(i * interval.toNanos());
        }
        System.out.printf("burst of 4 at 100ms: sends at %s ms%n", offsetsMillis(t0));
        // Exactly count: nothing more arrives.
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> sends.size() == 4);
        assertThat(announcer.isActive()).isTrue();
    }

    @Test
    void stopCancelsPendingSends() {
        ArpAnnouncer announcer = new ArpAnnouncer(new GarpConfig(50, Duration.ofMillis(50), ZERO, Duration.ofMillis(50)),
                recorder, executor);
        announcer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sends.size() >= 2);

        announcer.stop();
        int atStop = sends.size();

        assertThat(announcer.isActive()).isFalse();
        // A send already past its check when stop() ran may still land; nothing after that.
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> sends.size() <= atStop + 1);
        assertThat(sends.size()).isLessThan(50);
    }

    @Test
    void secondBurstFollowsAfterItsDelay() {
        Duration delay = Duration.ofSeconds(1);
        ArpAnnouncer announcer = new ArpAnnouncer(new GarpConfig(2, Duration.ofMillis(50), delay, ZERO), recorder, executor);

        long t0 = System.nanoTime();
        announcer.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sends.size() >= 4);
        assertThat(sends.get(2) - t0).as("first packet of second burst").isGreaterThanOrEqualTo(delay.toNanos());
        assertThat(sends.get(3) - t0).isGreaterThanOrEqualTo(delay.plusMillis(50).toNanos());
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> sends.size() == 4);
        announcer.stop();
    }

    @Test
    void refreshRepeatsWhileActiveAndStopsOnStop() {
        Duration refresh = Duration.ofMillis(100);
        ArpAnnouncer announcer = new ArpAnnouncer(new GarpConfig(1, Duration.ofMillis(100), ZERO, refresh), recorder, executor);

        long t0 = System.nanoTime();
        announcer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sends.size() >= 4);
        announcer.stop();
        int atStop = sends.size();

        // One burst packet at 0, then refreshes at 1x, 2x, 3x the period.
        for (int i = 1; i < 4; i++) {
            assertThat(sends.get(i) - t0).as("refresh %d", i).isGreaterThanOrEqualTo(i * refresh.toNanos());
        }
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> sends.size() <= atStop + 1);
    }

    @Test
    void failingSendDoesNotStopTheBurst() {
        AtomicInteger calls = new AtomicInteger();
        Runnable flaky = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new VipException("test: interface down");
            }
        };
        new ArpAnnouncer(new GarpConfig(3, Duration.ofMillis(20), ZERO, ZERO), flaky, executor).start();

        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 3);
    }

    @Test
    void restartBeginsANewBurst() {
        ArpAnnouncer announcer = new ArpAnnouncer(new GarpConfig(2, Duration.ofMillis(20), ZERO, ZERO), recorder, executor);
        announcer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sends.size() == 2);
        announcer.stop();
        announcer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> sends.size() == 4);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> sends.size() == 4);
    }

    @Test
    void rejectsSchedulesItCannotKeep() {
        assertThatThrownBy(() -> new ArpAnnouncer(new GarpConfig(-1, Duration.ofMillis(1), ZERO, ZERO), recorder, executor))
                .hasMessage("vip.garp.count: -1 (expected: >= 0)");
        assertThatThrownBy(() -> new ArpAnnouncer(new GarpConfig(3, ZERO, ZERO, ZERO), recorder, executor))
                .hasMessage("vip.garp.interval: PT0S (expected: > 0 when count > 1)");
        assertThatThrownBy(() -> new ArpAnnouncer(new GarpConfig(1, ZERO, ZERO, Duration.ofSeconds(-1)), recorder, executor))
                .hasMessage("vip.garp.refresh: PT-1S (expected: >= 0, 0 = off)");
    }

    private List<Long> offsetsMillis(long t0) {
        return sends.stream().map(t -> (t - t0) / 1_000_000).toList();
    }
}
