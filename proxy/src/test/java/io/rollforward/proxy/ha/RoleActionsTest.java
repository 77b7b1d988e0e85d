package io.rollforward.proxy.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.DefaultEventLoop;
import io.rollforward.config.NotifyConfig;
import io.rollforward.heartbeat.ha.NotifyCommands;
import io.rollforward.heartbeat.ha.Role;
import io.rollforward.heartbeat.ha.RoleChange;
import io.rollforward.proxy.metrics.ProxyMetrics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The VIP side of role changes: a VIP that could not be taken is tried again while ACTIVE. */
class RoleActionsTest {
    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final RecordingVip vip = new RecordingVip();
    private final ProxyMetrics metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of());
    private final RoleActions actions = new RoleActions(metrics, vip, new NotifyCommands(NotifyConfig.NONE, "proxy-a"),
            change -> { }, loop, Duration.ofMillis(40));

    @AfterEach
    void stop() {
        actions.close();
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void change(Role from, Role to) {
        loop.submit(() -> actions.apply(new RoleChange(from, to, "test"))).syncUninterruptibly();
    }

    private long count(String what) {
        return vip.names().stream().filter(what::equals).count();
    }

    @Test
    void aVipThatCouldNotBeTakenIsTakenOnALaterTryWithBackoff() {
        vip.failingAcquires.set(2);
        change(Role.STANDBY, Role.ACTIVE);

        await().atMost(Duration.ofSeconds(5)).until(vip::isHeld);
        assertThat(count("acquire")).as("two failures, then success").isEqualTo(3);
        assertThat(metrics.scrape()).contains("rollforward_vip_owned 1.0");
        List<RecordingVip.Call> tries = vip.calls.stream().filter(c -> c.what().equals("acquire")).toList();
        long firstGap = Duration.ofNanos(tries.get(1).at() - tries.get(0).at()).toMillis();
        long secondGap = Duration.ofNanos(tries.get(2).at() - tries.get(1).at()).toMillis();
        assertThat(firstGap).as("first retry after the first delay").isGreaterThanOrEqualTo(35);
        assertThat(secondGap).as("the delay doubles").isGreaterThanOrEqualTo(75);
    }

    @Test
    void noRetryOnceTheNodeIsNoLongerActive() {
        vip.failingAcquires.set(1);
        change(Role.STANDBY, Role.ACTIVE);
        change(Role.ACTIVE, Role.STANDBY);
        long releasedAt = System.nanoTime();

        // for well past the 40 ms retry the STANDBY node must not take the address back
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> !vip.isHeld() && count("acquire") == 1);
        assertThat(vip.calls.stream().filter(c -> c.what().equals("acquire") && c.at() > releasedAt)).isEmpty();
        assertThat(count("acquire")).isEqualTo(1);
    }
}
