package io.rollforward.proxy.health;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.netty.channel.EventLoopGroup;
import io.rollforward.config.AgentsConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.RejoinConfig;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.Timing;
import io.rollforward.heartbeat.AuthKey;
import io.rollforward.heartbeat.HeartbeatCodec;
import io.rollforward.heartbeat.HeartbeatEvents;
import io.rollforward.heartbeat.HeartbeatSource;
import io.rollforward.heartbeat.NodeState;
import io.rollforward.heartbeat.udp.UdpHeartbeatTransport;
import io.rollforward.proxy.testing.ProxyUnderTest;
import io.rollforward.proxy.transport.Transport;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hung master (replies take 2 s, per-request timeout 10 s) with 20 requests in flight: when its
 * agent falls silent, or reports DOWN, every in-flight request is answered by the backup within
 * deadtime + 200 ms, long before the timeout. Times come from the test's own clock.
 */
class AgentHeartbeatTest {
    private static final Timing TIMING = new Timing(Duration.ofMillis(100), Duration.ofMillis(200),
            Duration.ofMillis(500), Duration.ofMillis(1000));
    private static final int IN_FLIGHT = 20;

    @RegisterExtension
    static WireMockExtension master = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()
            .containerThreads(64)).build();

    @RegisterExtension
    static WireMockExtension backup = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()
            .containerThreads(64)).build();

    @TempDir
    Path dir;

    private ProxyUnderTest proxy;
    private EventLoopGroup senderLoop;
    private UdpHeartbeatTransport sender;
    private final AtomicReference<NodeState> masterState = new AtomicReference<>(NodeState.UP);
    private final AtomicLong lastMasterPacketNanos = new AtomicLong();
    private final AtomicLong packetsSent = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        master.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from master").withFixedDelay(2000)));
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from backup").withFixedDelay(50)));
        Path key = dir.resolve("authkey");
        Files.writeString(key, "a shared secret for the test\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));

        proxy = new ProxyUnderTest.Builder().config(c -> c
                .withReplicas(List.of(
                        new ReplicaConfig("master", HostPort.of("127.0.0.1", master.getPort()), Optional.empty(),
                                Optional.of("web1"), RejoinConfig.IMMEDIATE),
                        new ReplicaConfig("backup", HostPort.of("127.0.0.1", backup.getPort()), Optional.empty(),
                                Optional.of("web2"), RejoinConfig.IMMEDIATE)))
                .withPerRequestTimeout(Duration.ofSeconds(10))
                .withAgents(new AgentsConfig(HostPort.of("127.0.0.1", 0), key, TIMING)))
                .start();
        int agentPort = proxy.proxy().health().agentAddress().orElseThrow().getPort();

        senderLoop = Transport.best().newGroup(1);
        HeartbeatCodec codec = new HeartbeatCodec(AuthKey.read(key), TIMING.deadtime(), HeartbeatEvents.NONE);
        sender = UdpHeartbeatTransport.openSender(senderLoop, List.of(HostPort.of("127.0.0.1", agentPort)), codec);
        HeartbeatSource web1 = new HeartbeatSource("web1");
        HeartbeatSource web2 = new HeartbeatSource("web2");
        senderLoop.next().scheduleAtFixedRate(() -> {
            NodeState s = masterState.get();
            if (s != null) {
                sender.send(web1.next(s));
                lastMasterPacketNanos.set(System.nanoTime());
            }
            sender.send(web2.next(NodeState.UP));
            packetsSent.incrementAndGet();
        }, 0, TIMING.keepalive().toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> packetsSent.get() >= 5);
    }

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.close();
        }
        if (senderLoop != null) {
            senderLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    private List<CompletableFuture<Long>> fireInFlight() {
        List<CompletableFuture<Long>> done = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            done.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/slow/" + i))
                            .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> {
                        assertThat(r.statusCode()).isEqualTo(200);
                        assertThat(r.body()).isEqualTo("from backup");
                        assertThat(r.headers().firstValue("X-Served-By")).contains("backup");
                        return System.nanoTime();
                    }));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> master.findAll(anyRequestedFor(anyUrl())).size() == IN_FLIGHT);
        return done;
    }

    private static long lastCompletion(List<CompletableFuture<Long>> done) throws Exception {
        CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(15, TimeUnit.SECONDS);
        return done.stream().mapToLong(CompletableFuture::join).max().orElseThrow();
    }

    @Test
    void silentAgentRollsEveryInFlightRequestForwardWithinDeadtime() throws Exception {
        List<CompletableFuture<Long>> done = fireInFlight();
        masterState.set(null); // the master's agent falls silent
        long silentFrom = lastMasterPacketNanos.get();
        long ms = TimeUnit.NANOSECONDS.toMillis(lastCompletion(done) - silentFrom);
        System.out.printf("agent silent: all %d in-flight requests answered by the backup %d ms after the last heartbeat (deadtime %d ms, timeout 10000 ms)%n",
                IN_FLIGHT, ms, TIMING.deadtime().toMillis());
        assertThat(ms).isLessThanOrEqualTo(TIMING.deadtime().toMillis() + 200);
        assertThat(proxy.get("/after").headers().firstValue("X-Served-By")).contains("backup");
        assertThat(master.findAll(anyRequestedFor(anyUrl()))).hasSize(IN_FLIGHT);
    }

    @Test
    void agentReportingDownRollsForwardAtOnceAndUpBringsTheMasterBack() throws Exception {
        List<CompletableFuture<Long>> done = fireInFlight();
        long downAt = System.nanoTime();
        masterState.set(NodeState.DOWN);
        long ms = TimeUnit.NANOSECONDS.toMillis(lastCompletion(done) - downAt);
        System.out.printf("agent reported DOWN: all %d in-flight requests answered by the backup %d ms later%n", IN_FLIGHT, ms);
        assertThat(ms).isLessThanOrEqualTo(TIMING.keepalive().toMillis() + 200);

        master.resetAll();
        master.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from master")));
        masterState.set(NodeState.UP);
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.proxy().replicas().byName("master").orElseThrow().inService());
        assertThat(proxy.get("/back").headers().firstValue("X-Served-By")).contains("master");
    }
}
