package io.rollforward.proxy.testing;

import io.rollforward.config.AdminConfig;
import io.rollforward.config.HostPort;
import io.rollforward.config.ReplicaConfig;
import io.rollforward.config.RollforwardConfig;
import io.rollforward.proxy.Rollforward;
import io.rollforward.proxy.exchange.ExchangeEvents;
import io.rollforward.proxy.front.FrontEvents;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A proxy on a free loopback port in front of the given origin ports, and a client for it. */
public final class ProxyUnderTest implements AutoCloseable {
    private final Rollforward proxy;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private ProxyUnderTest(Rollforward proxy) {
        this.proxy = proxy;
    }

    /** Replicas named master, backup, backup2, ... on 127.0.0.1 at {@code ports}. */
    public static ProxyUnderTest start(UnaryOperator<RollforwardConfig> tweak, int... ports) throws InterruptedException {
        return new Builder().config(tweak).start(ports);
    }

    /** For tests that listen to what the proxy reports. */
    public static final class Builder {
        private UnaryOperator<RollforwardConfig> tweak = c -> c;
        private ExchangeEvents events = ExchangeEvents.NONE;
        private FrontEvents frontEvents = FrontEvents.NONE;

        public Builder config(UnaryOperator<RollforwardConfig> value) {
            tweak = value;
            return this;
        }

        public Builder events(ExchangeEvents value) {
            events = value;
            return this;
        }

        public Builder frontEvents(FrontEvents value) {
            frontEvents = value;
            return this;
        }

        public ProxyUnderTest start(int... ports) throws InterruptedException {
            return new ProxyUnderTest(Rollforward.start(tweak.apply(ProxyUnderTest.config(ports)), events, frontEvents));
        }
    }

    public static RollforwardConfig config(int... ports) {
        List<ReplicaConfig> replicas = new ArrayList<>();
        for (int i = 0; i < ports.length; i++) {
            String name = i == 0 ? "master" : i == 1 ? "backup" : "backup" + i;
            replicas.add(ReplicaConfig.of(name, HostPort.of("127.0.0.1", ports[i])));
        }
        return RollforwardConfig.of(HostPort.of("127.0.0.1", 0), replicas)
                .withAdmin(new AdminConfig(HostPort.of("127.0.0.1", 0), java.util.Optional.empty()));
    }

    public Rollforward proxy() {
        return proxy;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + proxy.frontAddress().getPort() + path);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        proxy.close();
    }
}
