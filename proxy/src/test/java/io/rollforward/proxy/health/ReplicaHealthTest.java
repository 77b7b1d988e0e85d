package io.rollforward.proxy.health;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.rollforward.config.AdminConfig;
import io.rollforward.config.CheckConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.RejoinConfig;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.replica.Replica;
import io.rollforward.proxy.testing.Closing;
import io.rollforward.proxy.testing.ProxyUnderTest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Active checks, passive ejection and rejoin policies, against real sockets. */
class ReplicaHealthTest {
    @RegisterExtension
    static WireMockExtension backup = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private ProxyUnderTest proxy;
    private CheckOrigin master;

    @AfterEach
    void stop() throws Exception {
        Closing.inOrder(proxy, master);
    }

    private static CheckConfig check(int rise, int fall) {
        return new CheckConfig("/.testpage", 200, Optional.of("test page"), Duration.ofMillis(200),
                Duration.ofMillis(190), rise, fall);
    }

    private ProxyUnderTest start(CheckConfig masterCheck, RejoinConfig rejoin, int ejectAfter, Optional<Path> token)
            throws Exception {
        master = new CheckOrigin();
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from backup")));
        proxy = new ProxyUnderTest.Builder().config(c -> c
                .withReplicas(List.of(
                        new ReplicaConfig("master", HostPort.of("127.0.0.1", master.port()), Optional.ofNullable(masterCheck),
                                Optional.empty(), rejoin),
                        ReplicaConfig.of("backup", HostPort.of("127.0.0.1", backup.getPort()))))
                .withEjectAfter(ejectAfter)
                .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", 0), token)))
                .start();
        return proxy;
    }

    private Replica masterReplica() {
        return proxy.proxy().replicas().byName("master").orElseThrow();
    }

    @Test
    void receiveMismatchMarksDownAfterExactlyFallChecksAndUpAfterRise() throws Exception {
        start(check(2, 3), RejoinConfig.IMMEDIATE, 0, Optional.empty());
        List<String> seen = new CopyOnWriteArrayList<>();
        proxy.proxy().replicas().onChange((r, up) ->
                seen.add(r.name() + (up ? " UP after good=" + master.good.get() : " DOWN after bad=" + master.bad.get())));
        await().atMost(Duration.ofSeconds(5)).until(() -> master.good.get() >= 2);

        master.setHealthy(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !masterReplica().inService());
        assertThat(seen).containsExactly("master DOWN after bad=3");
        HttpResponse<String> r = proxy.get("/while-down");
        assertThat(r.headers().firstValue("X-Served-By")).contains("backup");
        assertThat(master.requests.get()).as("a DOWN replica gets no copies").isZero();

        master.setHealthy(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> masterReplica().inService());
        assertThat(seen).containsExactly("master DOWN after bad=3", "master UP after good=2");
        assertThat(proxy.get("/back").headers().firstValue("X-Served-By")).contains("master");
    }

    @Test
    void passiveEjectionAfterConsecutiveFailuresIsLiftedByActiveChecks() throws Exception {
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from backup")));
        // a master that passes its test page but answers 503 to real requests
        CheckConfig slowTolerant = new CheckConfig("/.testpage", 200, Optional.of("test page"), Duration.ofMillis(300),
                Duration.ofMillis(250), 2, 3);
        com.github.tomakehurst.wiremock.WireMockServer sick = new com.github.tomakehurst.wiremock.WireMockServer(wireMockConfig().dynamicPort());
        sick.start();
        try {
            sick.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
            sick.stubFor(get(urlEqualTo("/.testpage")).willReturn(aResponse().withStatus(200).withBody("test page")));
            proxy = new ProxyUnderTest.Builder().config(c -> c
                    .withReplicas(List.of(
                            new ReplicaConfig("master", HostPort.of("127.0.0.1", sick.port()), Optional.of(slowTolerant),
                                    Optional.empty(), RejoinConfig.IMMEDIATE),
                            ReplicaConfig.of("backup", HostPort.of("127.0.0.1", backup.getPort()))))
                    .withEjectAfter(3))
                    .start();
            Replica m = proxy.proxy().replicas().byName("master").orElseThrow();
            await().atMost(Duration.ofSeconds(5)).until(() -> m.inService()
                    && sick.findAll(getRequestedFor(urlEqualTo("/.testpage"))).size() >= 2);
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = proxy.get("/fail/" + i);
                assertThat(r.headers().firstValue("X-Served-By")).contains("backup");
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> !proxy.proxy().replicas().byName("master").orElseThrow().inService());
            assertThat(proxy.proxy().health().health("master").orElseThrow().isDownBy(HealthSource.PASSIVE)).isTrue();
            // two fresh passing checks (2 x 300 ms) lift the ejection
            await().atMost(Duration.ofSeconds(3)).until(() -> proxy.proxy().replicas().byName("master").orElseThrow().inService());
            assertThat(sick.findAll(anyRequestedFor(anyUrl())).stream().filter(r -> r.getUrl().startsWith("/fail")).count())
                    .isEqualTo(3);
        } finally {
            sick.stop();
        }
    }

    @Test
    void passiveEjectionNeverTakesOutTheLastReplicaInService() throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer first = new com.github.tomakehurst.wiremock.WireMockServer(wireMockConfig().dynamicPort());
        first.start();
        com.github.tomakehurst.wiremock.WireMockServer web = first;
        int masterPort = first.port();
        int deadPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try {
            web.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("up")));
            proxy = new ProxyUnderTest.Builder().config(c -> c
                    .withReplicas(List.of(
                            ReplicaConfig.of("master", HostPort.of("127.0.0.1", masterPort)),
                            ReplicaConfig.of("backup", HostPort.of("127.0.0.1", deadPort))))
                    .withEjectAfter(2)
                    .withEjectionTime(Duration.ofSeconds(60)))
                    .start();
            // the backup refuses connections: its own fault, so it is ejected
            for (int i = 0; i < 3; i++) {
                assertThat(proxy.get("/a/" + i).statusCode()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !proxy.proxy().replicas().byName("backup").orElseThrow().inService());
            // now the master refuses too: it fails its requests, but it is the last one in service
            web.stop();
            for (int i = 0; i < 4; i++) {
                assertThat(proxy.get("/b/" + i).statusCode()).isEqualTo(502);
            }
            assertThat(proxy.proxy().replicas().byName("master").orElseThrow().inService()).isTrue();
            // so the site answers again the moment the master does, instead of 503 for ejection-time
            web = new com.github.tomakehurst.wiremock.WireMockServer(wireMockConfig().port(masterPort));
            web.start();
            web.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("up")));
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.get("/c").statusCode() == 200);
        } finally {
            web.stop();
        }
    }

    @Test
    void passiveEjectionWithoutActiveCheckLastsEjectionTime() throws Exception {
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from backup")));
        com.github.tomakehurst.wiremock.WireMockServer sick = new com.github.tomakehurst.wiremock.WireMockServer(wireMockConfig().dynamicPort());
        sick.start();
        try {
            sick.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
            Duration ejectionTime = Duration.ofMillis(800);
            proxy = new ProxyUnderTest.Builder().config(c -> c
                    .withReplicas(List.of(
                            ReplicaConfig.of("master", HostPort.of("127.0.0.1", sick.port())),
                            ReplicaConfig.of("backup", HostPort.of("127.0.0.1", backup.getPort()))))
                    .withEjectAfter(2)
                    .withEjectionTime(ejectionTime))
                    .start();
            Replica m = proxy.proxy().replicas().byName("master").orElseThrow();
            List<Long> changes = new CopyOnWriteArrayList<>();
            proxy.proxy().replicas().onChange((r, up) -> {
                if (r.name().equals("master")) {
                    changes.add(System.nanoTime());
                }
            });
            for (int i = 0; i < 2; i++) {
                assertThat(proxy.get("/fail/" + i).headers().firstValue("X-Served-By")).contains("backup");
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> !m.inService());
            int copiesBefore = sick.findAll(anyRequestedFor(anyUrl())).size();
            assertThat(proxy.get("/while-out").headers().firstValue("X-Served-By")).contains("backup");
            assertThat(sick.findAll(anyRequestedFor(anyUrl()))).as("an ejected replica gets no copies").hasSize(copiesBefore);

            await().atMost(Duration.ofSeconds(5)).until(m::inService);
            assertThat(changes).hasSize(2);
            long outMillis = Duration.ofNanos(changes.get(1) - changes.get(0)).toMillis();
            assertThat(outMillis).as("out for ejection-time, not the 10 s default").isBetween(ejectionTime.toMillis() - 50, 3000L);
        } finally {
            sick.stop();
        }
    }

    @Test
    void manualRejoinWaitsForTheAdminCall() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "s3cret\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        start(check(1, 1), new RejoinConfig(RejoinConfig.Policy.MANUAL, List.of(), Duration.ofSeconds(5)), 0, Optional.of(token));
        master.setHealthy(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !masterReplica().inService());
        master.setHealthy(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> master.good.get() >= 3);
        assertThat(masterReplica().inService()).as("manual: healthy again but still out").isFalse();
        assertThat(proxy.proxy().health().health("master").orElseThrow().status()).containsEntry("waiting_for", "manual");

        String admin = "http://127.0.0.1:" + proxy.proxy().adminAddress().getPort();
        HttpResponse<String> wrong = proxy.client().send(HttpRequest.newBuilder(java.net.URI.create(admin + "/replicas/master/rejoin"))
                .header("Authorization", "Bearer nope").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(masterReplica().inService()).isFalse();
        HttpResponse<String> ok = proxy.client().send(HttpRequest.newBuilder(java.net.URI.create(admin + "/replicas/master/rejoin"))
                .header("Authorization", "Bearer s3cret").POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(masterReplica().inService()).isTrue();
        assertThat(proxy.get("/").headers().firstValue("X-Served-By")).contains("master");
    }

    @Test
    void hookRejoinRunsTheCommandAndRejoinsOnExitZero() throws Exception {
        Path marker = dir.resolve("resynced");
        start(check(1, 1), new RejoinConfig(RejoinConfig.Policy.HOOK,
                List.of("sh", "-c", "echo \"$ROLLFORWARD_REPLICA\" > " + marker), Duration.ofSeconds(10)), 0, Optional.empty());
        master.setHealthy(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !masterReplica().inService());
        master.setHealthy(true);
        await().atMost(Duration.ofSeconds(5)).until(() -> masterReplica().inService());
        assertThat(Files.readString(marker).strip()).isEqualTo("master");
    }

    @Test
    void failingHookKeepsTheReplicaOut() throws Exception {
        start(check(1, 1), new RejoinConfig(RejoinConfig.Policy.HOOK, List.of("sh", "-c", "exit 3"), Duration.ofSeconds(10)),
                0, Optional.empty());
        master.setHealthy(false);
        await().atMost(Duration.ofSeconds(5)).until(() -> !masterReplica().inService());
        master.setHealthy(true);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "manual".equals(proxy.proxy().health().health("master").orElseThrow().status().get("waiting_for")));
        assertThat(masterReplica().inService()).isFalse();
    }
}
