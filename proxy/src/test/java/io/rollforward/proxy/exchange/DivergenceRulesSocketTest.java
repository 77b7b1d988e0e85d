package io.rollforward.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.rollforward.config.DivergenceConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.OrderingConfig;
import io.rollforward.config.RejoinConfig;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.testing.ListOrigin;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The divergence rules through the proxy: two {@link ListOrigin}s whose {@code GET /stamp} bodies
 * differ only in a timestamp, and a write one of them refuses with 500.
 */
class DivergenceRulesSocketTest {
    private static final RejoinConfig MANUAL = new RejoinConfig(RejoinConfig.Policy.MANUAL, List.of(), Duration.ofSeconds(5));

    private final List<DivergenceKind> divergences = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private ListOrigin master;
    private ListOrigin backup;
    private ProxyUnderTest proxy;

    @BeforeEach
    void origins() throws Exception {
        master = new ListOrigin(Duration.ZERO, Duration.ZERO);
        backup = new ListOrigin(Duration.ZERO, Duration.ZERO);
        log.start();
        ((Logger) LoggerFactory.getLogger(DivergenceLog.class)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(DivergenceLog.class)).detachAppender(log);
        if (proxy != null) {
            await().atMost(30, TimeUnit.SECONDS).until(() -> proxy.proxy().inflight().size() == 0);
            proxy.close();
        }
        master.close();
        backup.close();
    }

    private void start(DivergenceConfig rules, boolean ordered) throws InterruptedException {
        proxy = new ProxyUnderTest.Builder().events(new ExchangeEvents() {
            @Override
            public void divergence(DivergenceKind kind) {
                divergences.add(kind);
            }
        }).config(c -> {
            var config = c.withReplicas(List.of(
                            new ReplicaConfig("master", HostPort.of("127.0.0.1", master.port()), Optional.empty(), Optional.empty(), MANUAL),
                            new ReplicaConfig("backup", HostPort.of("127.0.0.1", backup.port()), Optional.empty(), Optional.empty(), MANUAL)))
                    .withDivergence(rules);
            return ordered ? config.withOrdering(OrderingConfig.DEFAULT) : config;
        }).start();
    }

    private void getStamps(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            assertThat(proxy.get("/stamp").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aTimestampedBodyCountsNoDivergenceWithTheIgnoreRule() throws Exception {
        start(new DivergenceConfig(List.of(), List.of("\"ts\":[0-9]+"), DivergenceConfig.OnWrite.LOG), false);
        getStamps(5);
        // every exchange ends after its comparison
        await().atMost(10, TimeUnit.SECONDS).until(() -> proxy.proxy().inflight().size() == 0);
        assertThat(divergences).isEmpty();
        assertThat(log.list).isEmpty();
    }

    @Test
    void withoutTheRuleEachRequestCountsOneAndTheSampleNamesTheFirstDifferingOffset() throws Exception {
        start(DivergenceConfig.DEFAULT, false);
        getStamps(5);
        await().atMost(10, TimeUnit.SECONDS).until(() -> divergences.size() == 5);
        assertThat(divergences).containsOnly(DivergenceKind.BODY);
        assertThat(log.list).hasSize(1); // one sample per divergence-log-interval
        String line = log.list.get(0).getFormattedMessage();
        assertThat(line).startsWith("divergence (body) on GET /stamp: sent master body differs at offset ")
                .matches("(?s).*offset \\d+: \"\\.\\.\\..*\" but backup has \"\\.\\.\\..*\"");
    }

    @Test
    void aWriteWhoseStatusDivergesTakesTheBackupOutWithEject() throws Exception {
        start(new DivergenceConfig(List.of(), List.of(), DivergenceConfig.OnWrite.EJECT), true);
        backup.failOn(body -> body.equals("bad"));
        HttpResponse<String> reply = proxy.client().send(HttpRequest.newBuilder(proxy.uri("/items"))
                .POST(HttpRequest.BodyPublishers.ofString("bad")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).isEqualTo(200);
        Replica b = proxy.proxy().replicas().byName("backup").orElseThrow();
        await().atMost(10, TimeUnit.SECONDS).until(() -> !b.inService());
        assertThat(divergences).containsExactly(DivergenceKind.STATUS);
        assertThat(proxy.proxy().health().health("backup").orElseThrow().status().get("down_by").toString())
                .contains("out_of_step=answered POST /items with 500 where master answered 200 (divergence.on-write: eject)");
    }
}
