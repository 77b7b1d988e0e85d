package io.rollforward.heartbeat.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.rollforward.config.AgentConfig;
import io.rollforward.config.AgentConfig.LocalCheck;
import io.rollforward.config.HostPort;
import io.rollforward.config.Timing;
import io.rollforward.heartbeat.AuthKey;
import io.rollforward.heartbeat.HeartbeatCodec;
import io.rollforward.heartbeat.HeartbeatEvents;
import io.rollforward.heartbeat.HeartbeatPacket;
import io.rollforward.heartbeat.NodeState;
import io.rollforward.heartbeat.udp.UdpHeartbeatTransport;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent against a real HTTP check target and a real UDP listener, both on 127.0.0.1.
 */
class HeartbeatAgentTest {
    private static final AuthKey KEY = AuthKey.of("agent secret".getBytes(StandardCharsets.UTF_8));

    /** Generous: on a loaded machine a 1 s check of a cold JVM's first request can time out. */
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EventLoopGroup group;
    private HttpServer web;
    private volatile int status = 200;
    private volatile String body = "<html>it works</html>";
    private UdpHeartbeatTransport listener;
    private final List<HeartbeatPacket> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        group = new MultiThreadIoEventLoopGroup(1,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/.testpage", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        web.start();
        listener = UdpHeartbeatTransport.listen(group, HostPort.of("127.0.0.1", 0),
                new HeartbeatCodec(KEY, Duration.ofSeconds(30), HeartbeatEvents.NONE), received::add);
    }

    @AfterEach
    void stop() {
        listener.close();
        web.stop(0);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private AgentConfig config(Duration keepalive, boolean withCheck) {
        Timing timing = new Timing(keepalive, keepalive.multipliedBy(3), keepalive.multipliedBy(6),
                keepalive.multipliedBy(20));
        Optional<LocalCheck> check = withCheck
                ? Optional.of(new LocalCheck(URI.create("http://127.0.0.1:" + web.getAddress().getPort() + "/.testpage"),
                        200, Optional.of("it works"), CHECK_TIMEOUT))
                : Optional.empty();
        return new AgentConfig("web-1", List.of(HostPort.of("127.0.0.1", listener.localAddress().getPort())),
                null, timing, check);
    }

    private NodeState lastState() {
        return received.get(received.size() - 1).state();
    }

    @Test
    void passingCheckSendsUpEveryKeepalive() {
        try (HeartbeatAgent agent = new HeartbeatAgent(config(Duration.ofMillis(100), true), KEY, group)) {
            agent.start();
            await().atMost(WAIT).until(() -> received.size() >= 3);
            assertThat(agent.state()).contains(NodeState.UP);
        }
        // Graceful stop says DOWN rather than going silent.
        await().atMost(WAIT).until(() -> lastState() == NodeState.DOWN);
        List<HeartbeatPacket> packets = List.copyOf(received);
        // Every heartbeat before the final one says UP; sequence numbers only grow.
        assertThat(packets.subList(0, packets.size() - 1)).allSatisfy(p -> {
            assertThat(p.node()).isEqualTo("web-1");
            assertThat(p.state()).isEqualTo(NodeState.UP);
        });
        assertThat(packets).extracting(HeartbeatPacket::sequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void failingCheckSendsDownAtOnceNotAtTheNextKeepalive() {
        // keepalive 60 s: every packet within our 10 s waits was sent because the state changed.
        try (HeartbeatAgent agent = new HeartbeatAgent(config(Duration.ofSeconds(60), true), KEY, group,
                Duration.ofMillis(100))) {
            agent.start();
            await().atMost(WAIT).until(() -> !received.isEmpty() && lastState() == NodeState.UP);

            status = 500;
            await().atMost(WAIT).until(() -> lastState() == NodeState.DOWN);
            assertThat(agent.state()).contains(NodeState.DOWN);

            status = 200;
            await().atMost(WAIT).until(() -> lastState() == NodeState.UP);

            body = "<html>maintenance</html>";
            await().atMost(WAIT).until(() -> lastState() == NodeState.DOWN);

            body = "<html>it works again</html>";
            await().atMost(WAIT).until(() -> lastState() == NodeState.UP);

            web.stop(0); // connection refused
            await().atMost(WAIT).until(() -> lastState() == NodeState.DOWN);
        }
        // One packet per change, plus the final DOWN of the graceful stop.
        await().atMost(WAIT).until(() -> received.size() == 7);
        assertThat(received).extracting(HeartbeatPacket::state).containsExactly(
                NodeState.UP, NodeState.DOWN, NodeState.UP, NodeState.DOWN, NodeState.UP, NodeState.DOWN,
                NodeState.DOWN);
    }

    @Test
    void withoutACheckTheAgentReportsUp() {
        try (HeartbeatAgent agent = new HeartbeatAgent(config(Duration.ofMillis(100), false), KEY, group)) {
            agent.start();
            await().atMost(WAIT).until(() -> received.size() >= 2);
            assertThat(received.get(0).state()).isEqualTo(NodeState.UP);
        }
    }
}
