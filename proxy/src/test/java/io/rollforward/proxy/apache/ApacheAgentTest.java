package io.rollforward.proxy.apache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rollforward.config.AdminConfig;
import io.rollforward.config.AgentsConfig;
import io.rollforward.config.CheckConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.RejoinConfig;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.Timing;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.testing.ApacheInstance;
import io.rollforward.proxy.testing.Closing;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Apache servers, each watched by a real {@code rollforward agent} process: killing the
 * master's Apache makes its agent report DOWN, the in-flight requests roll forward and new ones
 * go to the backup; when Apache is back the master rejoins per its policy.
 */
class ApacheAgentTest {
    // initdead: how long the proxy waits for an agent's first heartbeat. An agent is a JVM of its own,
    // and on a loaded machine it took 17 s to be heard: with 5 s both replicas started DOWN, and the
    // manual-rejoin master never came back
    private static final Timing TIMING = new Timing(Duration.ofMillis(200), Duration.ofMillis(400),
            Duration.ofSeconds(1), Duration.ofSeconds(60));

    @TempDir
    Path dir;

    private ApacheInstance master;
    private ApacheInstance backup;
    private ProxyUnderTest proxy;
    private final List<Process> agents = new ArrayList<>();
    private Path key;
    private Path token;

    @BeforeEach
    void start() throws Exception {
        ApacheInstance.assumeAvailable();
        master = ApacheInstance.start("master");
        backup = ApacheInstance.start("backup");
        key = secret("authkey", "agent key for the test\n");
        token = secret("admin.token", "t0ken\n");
    }

    @AfterEach
    void stop() throws Exception {
        agents.forEach(p -> {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Closing.inOrder(proxy, master, backup);
    }

    private Path secret(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        return p;
    }

    private void startProxyAndAgents(RejoinConfig.Policy policy) throws Exception {
        CheckConfig check = new CheckConfig("/.testpage", 200, Optional.of("test page"), Duration.ofMillis(300),
                Duration.ofMillis(250), 2, 2);
        proxy = new ProxyUnderTest.Builder().config(c -> c
                .withReplicas(List.of(
                        new ReplicaConfig("master", master.hostPort(), Optional.of(check), Optional.of("web1"),
                                new RejoinConfig(policy, List.of(), Duration.ofSeconds(10))),
                        new ReplicaConfig("backup", backup.hostPort(), Optional.empty(), Optional.of("web2"),
                                RejoinConfig.IMMEDIATE)))
                .withPerRequestTimeout(Duration.ofSeconds(10))
                .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", 0), Optional.of(token)))
                .withAgents(new AgentsConfig(HostPort.of("127.0.0.1", 0), key, TIMING)))
                .start();
        int port = proxy.proxy().health().agentAddress().orElseThrow().getPort();
        agents.add(agent("web1", master, port));
        agents.add(agent("web2", backup, port));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                proxy.proxy().health().agents().equals(Map.of("web1", "ALIVE", "web2", "ALIVE")));
    }

    /** {@code rollforward agent -c FILE} as its own process, watching one Apache. */
    private Process agent(String node, ApacheInstance apache, int proxyPort) throws IOException {
        Path config = dir.resolve(node + ".yaml");
        Files.writeString(config, """
                node: %s
                send-to: [127.0.0.1:%d]
                key-file: %s
                keepalive: 200ms
                warntime: 400ms
                deadtime: 1s
                initdead: 5s
                check:
                  url: http://127.0.0.1:%d/.testpage
                  receive: "test page"
                  timeout: 500ms
                """.formatted(node, proxyPort, key, apache.port()));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.rollforward.proxy.Main", "agent", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(node + ".log").toFile())
                .start();
    }

    private Replica masterReplica() {
        return proxy.proxy().replicas().byName("master").orElseThrow();
    }

    private void killMasterWithRequestsInFlight() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            inFlight.add(proxy.client().sendAsync(HttpRequest.newBuilder(proxy.uri("/cgi-bin/slow?ms=2000&id=a" + i))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> ApacheSlowRequests.running(master) >= 10);
        master.killHard();
        // the agent's local check fails and it reports DOWN at once, well inside deadtime
        await().atMost(Duration.ofSeconds(3)).until(() -> !masterReplica().inService()
                && proxy.proxy().health().health("master").orElseThrow().isDownBy(io.rollforward.proxy.health.HealthSource.AGENT));
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Served-By")).contains("backup");
        }
        HttpResponse<String> next = proxy.get("/index.html");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.headers().firstValue("X-Served-By")).contains("backup");
    }

    @Test
    void killedMasterIsReportedByItsAgentAndRejoinsAfterRiseChecks() throws Exception {
        startProxyAndAgents(RejoinConfig.Policy.IMMEDIATE);
        killMasterWithRequestsInFlight();
        master.restart();
        await().atMost(Duration.ofSeconds(10)).until(() -> masterReplica().inService());
        assertThat(proxy.get("/index.html").headers().firstValue("X-Served-By")).contains("master");
    }

    @Test
    void manualRejoinKeepsTheRestartedMasterOutUntilTheAdminCall() throws Exception {
        startProxyAndAgents(RejoinConfig.Policy.MANUAL);
        killMasterWithRequestsInFlight();
        master.restart();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "manual".equals(proxy.proxy().health().health("master").orElseThrow().status().get("waiting_for")));
        assertThat(masterReplica().inService()).isFalse();
        assertThat(proxy.get("/index.html").headers().firstValue("X-Served-By")).contains("backup");

        URI rejoin = URI.create("http://127.0.0.1:" + proxy.proxy().adminAddress().getPort() + "/replicas/master/rejoin");
        HttpResponse<String> r = proxy.client().send(HttpRequest.newBuilder(rejoin).header("Authorization", "Bearer t0ken")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(proxy.get("/index.html").headers().firstValue("X-Served-By")).contains("master");
    }
}
