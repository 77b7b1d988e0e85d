package io.rollforward.proxy.replica;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.rollforward.config.HostPort;
import io.rollforward.config.Limits;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.proxy.testing.ProxyUnderTest;
import io.rollforward.proxy.transport.Transport;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replica host names are resolved once, at start-up: never on an event loop, never silently. */
class ReplicaSetTest {
    @RegisterExtension
    static WireMockExtension master = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();
    @RegisterExtension
    static WireMockExtension backup = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void aReplicaGivenByHostNameServes() throws Exception {
        master.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from master")));
        backup.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("from backup")));
        try (ProxyUnderTest proxy = new ProxyUnderTest.Builder().config(c -> c.withReplicas(List.of(
                ReplicaConfig.of("master", HostPort.of("localhost", master.getPort())),
                ReplicaConfig.of("backup", HostPort.of("localhost", backup.getPort()))))).start()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = proxy.get("/named/" + i);
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("from master");
            }
        }
        assertThat(backup.getAllServeEvents()).as("the backup got every copy").hasSize(3);
    }

    @Test
    void eachHostIsLookedUpOnceAtStart() {
        List<String> lookups = new ArrayList<>();
        try (ReplicaSet set = new ReplicaSet(List.of(
                ReplicaConfig.of("web1", HostPort.of("web1.example", 80)),
                ReplicaConfig.of("web2", HostPort.of("web2.example", 8080))), Transport.NIO, Limits.DEFAULT, hp -> {
                    lookups.add(hp.host());
                    return new InetSocketAddress("127.0.0." + (lookups.size() + 10), hp.port());
                })) {
            assertThat(lookups).containsExactly("web1.example", "web2.example");
            assertThat(set.all()).extracting(Replica::name).containsExactly("web1", "web2");
        }
    }

    @Test
    void aHostThatDoesNotResolveStopsTheStartNamingTheReplica() {
        assertThatThrownBy(() -> new ReplicaSet(List.of(
                ReplicaConfig.of("web1", HostPort.of("127.0.0.1", 80)),
                ReplicaConfig.of("web2", HostPort.of("web2.example", 80))), Transport.NIO, Limits.DEFAULT,
                hp -> hp.host().startsWith("127.") ? new InetSocketAddress(hp.host(), hp.port())
                        : InetSocketAddress.createUnresolved(hp.host(), hp.port())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("replica web2: host \"web2.example\" does not resolve "
                        + "(fix DNS or /etc/hosts, or give its IP address in replicas[].url)");
    }
}
