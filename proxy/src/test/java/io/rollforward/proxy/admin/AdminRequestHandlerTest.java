package io.rollforward.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rollforward.proxy.exchange.Outcome;
import io.rollforward.proxy.metrics.PrometheusScrape;
import io.rollforward.proxy.metrics.ProxyMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminRequestHandlerTest {
    private static final String TOKEN = "s3cret-token-42";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ProxyMetrics metrics;
    private final RecordingActions actions = new RecordingActions();
    private Object status = Map.of("role", "active", "replicas", List.of(Map.of("name", "web1", "state", "UP")));

    @BeforeEach
    void metrics() {
        metrics = new ProxyMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of("web1", "web2"));
    }

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    /** A fake of the app: records calls and answers what the test set. */
    static final class RecordingActions implements AdminActions {
        final List<String> calls = new java.util.ArrayList<>();
        CompletionStage<AdminResult> next = CompletableFuture.completedFuture(AdminResult.ok("done"));
        boolean draining;

        @Override
        public CompletionStage<AdminResult> drain() {
            calls.add("drain");
            return next;
        }

        @Override
        public CompletionStage<AdminResult> failover() {
            calls.add("failover");
            return next;
        }

        @Override
        public CompletionStage<AdminResult> rejoin(String replica) {
            calls.add("rejoin " + replica);
            return replica.startsWith("web") ? next : CompletableFuture.completedFuture(AdminResult.notFound("no replica " + replica));
        }

        @Override
        public boolean draining() {
            return draining;
        }
    }

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonNode json() throws IOException {
            assertThat(header("content-type")).startsWith("application/json");
            return JSON.readTree(body);
        }
    }

    private Path tokenFile(String content, String permissions) throws IOException {
        Path file = dir.resolve("admin.token");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    private EmbeddedChannel channel(boolean withToken) throws IOException {
        AdminToken token = withToken ? AdminToken.load(Optional.of(tokenFile(TOKEN + "\n", "rw-------"))) : AdminToken.disabled();
        return new EmbeddedChannel(new AdminChannelInitializer(new AdminRequestHandler(metrics, () -> status, actions, token, JSON)));
    }

    /** Writes raw request bytes, runs the tasks the handler scheduled, reads every response byte. */
    private static List<Response> exchange(EmbeddedChannel channel, String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        return read(channel);
    }

    private static List<Response> read(EmbeddedChannel channel) {
        StringBuilder raw = new StringBuilder();
        for (ByteBuf out; (out = channel.readOutbound()) != null; ) {
            raw.append(out.toString(StandardCharsets.UTF_8));
            out.release();
        }
        List<Response> responses = new java.util.ArrayList<>();
        String rest = raw.toString();
        while (!rest.isEmpty()) {
            int headEnd = rest.indexOf("\r\n\r\n");
            String[] head = rest.substring(0, headEnd).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).toLowerCase(Locale.ROOT), head[i].substring(colon + 1).strip());
            }
            int length = Integer.parseInt(headers.get("content-length"));
            byte[] bytes = rest.substring(headEnd + 4).getBytes(StandardCharsets.UTF_8);
            String body = new String(bytes, 0, length, StandardCharsets.UTF_8);
            responses.add(new Response(Integer.parseInt(head[0].split(" ")[1]), headers, body));
            rest = new String(bytes, length, bytes.length - length, StandardCharsets.UTF_8);
        }
        return responses;
    }

    private static Response one(EmbeddedChannel channel, String request) {
        List<Response> responses = exchange(channel, request);
        assertThat(responses).hasSize(1);
        return responses.get(0);
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    private static String post(String path, String authorization) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void metricsIsThePrometheusScrapeWithItsContentType() throws IOException {
        metrics.requestCompleted("web1", Outcome.MASTER);
        EmbeddedChannel channel = channel(false);
        Response response = one(channel, get("/metrics"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(PrometheusScrape.parse(response.body())
                .value("rollforward_requests_total", "served_by", "web1", "outcome", "master")).isEqualTo(1);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void statusIsTheSuppliedObjectAsJson() throws IOException {
        EmbeddedChannel channel = channel(false);
        JsonNode json = one(channel, get("/status?pretty")).json();
        assertThat(json.get("role").asText()).isEqualTo("active");
        assertThat(json.get("replicas").get(0).get("state").asText()).isEqualTo("UP");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aFailingStatusSupplierGives500NotACrash() throws IOException {
        EmbeddedChannel channel = new EmbeddedChannel(new AdminChannelInitializer(new AdminRequestHandler(metrics,
                () -> { throw new IllegalStateException("boom"); }, actions, AdminToken.disabled(), JSON)));
        Response response = one(channel, get("/status"));
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.json().get("error").asText()).contains("IllegalStateException");
        assertThat(channel.isActive()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void healthzIsOkUntilDraining() throws IOException {
        EmbeddedChannel channel = channel(false);
        Response ok = one(channel, get("/healthz"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok\n");
        actions.draining = true;
        Response draining = one(channel, get("/healthz"));
        assertThat(draining.status()).isEqualTo(503);
        assertThat(draining.body()).isEqualTo("draining\n");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void withoutBearerHeaderMutatingCallsGet401AndAChallenge() throws IOException {
        EmbeddedChannel channel = channel(true);
        for (String authorization : new String[] {null, "Basic YWRtaW46YWRtaW4=", "Bearer"}) {
            Response response = one(channel, post("/drain", authorization));
            assertThat(response.status()).as(String.valueOf(authorization)).isEqualTo(401);
            assertThat(response.header("www-authenticate")).startsWith("Bearer");
        }
        assertThat(actions.calls).isEmpty();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aWrongTokenGets403AndDoesNothing() throws IOException {
        EmbeddedChannel channel = channel(true);
        for (String token : new String[] {"nope", TOKEN + "x", TOKEN.substring(1), "Bearer " + TOKEN}) {
            Response response = one(channel, post("/failover", "Bearer " + token));
            assertThat(response.status()).as(token).isEqualTo(403);
            assertThat(response.body()).doesNotContain(TOKEN);
        }
        assertThat(actions.calls).isEmpty();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void withoutTokenFileMutatingCallsAreDisabled() throws IOException {
        EmbeddedChannel channel = channel(false);
        Response response = one(channel, post("/drain", "Bearer " + TOKEN));
        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("error").asText()).contains("disabled");
        assertThat(actions.calls).isEmpty();
        assertFalse(channel.finishAndReleaseAll());
    }

    @ParameterizedTest
    @CsvSource({
        "/drain,               200, drain",
        "/failover,            200, failover",
        "/replicas/web2/rejoin, 200, rejoin web2",
        "/replicas/web%201/rejoin, 200, rejoin web 1",
        "/replicas/db9/rejoin, 404, rejoin db9",
    })
    void theRightTokenRunsTheAction(String path, int status, String call) throws IOException {
        EmbeddedChannel channel = channel(true);
        Response response = one(channel, post(path, "bearer  " + TOKEN + " "));
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.json().get("message").asText()).isNotBlank();
        assertThat(actions.calls).containsExactly(call);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aConflictIs409WithTheActionsMessage() throws IOException {
        actions.next = CompletableFuture.completedFuture(AdminResult.conflict("no peer to fail over to"));
        EmbeddedChannel channel = channel(true);
        Response response = one(channel, post("/failover", "Bearer " + TOKEN));
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.json().get("message").asText()).isEqualTo("no peer to fail over to");
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aSlowActionIsAnsweredWhenItCompletesAndHoldsFurtherReadsMeanwhile() throws IOException {
        CompletableFuture<AdminResult> pending = new CompletableFuture<>();
        actions.next = pending;
        EmbeddedChannel channel = channel(true);
        assertThat(exchange(channel, post("/drain", "Bearer " + TOKEN))).isEmpty();
        assertThat(channel.config().isAutoRead()).isFalse();

        pending.complete(AdminResult.accepted("draining 3 in-flight requests"));
        channel.runPendingTasks();
        List<Response> responses = read(channel);
        assertThat(responses).singleElement().extracting(Response::status).isEqualTo(202);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aFailedActionIs500() throws IOException {
        actions.next = CompletableFuture.failedFuture(new IOException("hook exited 1"));
        EmbeddedChannel channel = channel(true);
        assertThat(one(channel, post("/replicas/web1/rejoin", "Bearer " + TOKEN)).status()).isEqualTo(500);
        assertFalse(channel.finishAndReleaseAll());
    }

    @ParameterizedTest
    @CsvSource({
        "GET,    /drain,                POST",
        "GET,    /replicas/web1/rejoin, POST",
        "POST,   /metrics,              GET",
        "DELETE, /status,               GET",
        "PUT,    /healthz,              GET",
    })
    void aWrongMethodIs405WithAllow(String method, String path, String allow) throws IOException {
        EmbeddedChannel channel = channel(true);
        Response response = one(channel, method + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assertThat(response.status()).isEqualTo(405);
        assertThat(response.header("allow")).isEqualTo(allow);
        assertThat(actions.calls).isEmpty();
        assertFalse(channel.finishAndReleaseAll());
    }

    @ParameterizedTest
    @CsvSource({"/", "/nope", "/metrics/", "/replicas//rejoin", "/replicas/a/b/rejoin", "/replicas/web1"})
    void anUnknownPathIs404(String path) throws IOException {
        EmbeddedChannel channel = channel(true);
        assertThat(one(channel, get(path)).status()).isEqualTo(404);
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void garbageIs400AndClosesTheConnection() throws IOException {
        EmbeddedChannel channel = channel(false);
        Response response = one(channel, "GET /metrics HTTP/1.1\r\nHost localhost no colon\r\n\r\n");
        assertThat(response.status()).isEqualTo(400);
        assertThat(channel.isActive()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void keepAliveServesSeveralRequestsAndConnectionCloseCloses() throws IOException {
        EmbeddedChannel channel = channel(false);
        assertThat(exchange(channel, get("/healthz") + get("/metrics"))).extracting(Response::status).containsExactly(200, 200);
        assertThat(channel.isActive()).isTrue();
        Response last = one(channel, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(last.header("connection")).isEqualTo("close");
        assertThat(channel.isActive()).isFalse();
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aTokenFileReadableByOthersEmptyOrMissingIsRefused() throws IOException {
        Path readable = tokenFile(TOKEN, "rw-r--r--");
        assertThatThrownBy(() -> AdminToken.load(Optional.of(readable)))
                .hasMessageContaining("readable by others").hasMessageNotContaining(TOKEN);
        Path empty = tokenFile(" \n", "rw-------");
        assertThatThrownBy(() -> AdminToken.load(Optional.of(empty))).hasMessageContaining("is empty");
        assertThatThrownBy(() -> AdminToken.load(Optional.of(dir.resolve("missing"))))
                .hasMessageContaining("cannot read (NoSuchFileException)");
    }

    @Test
    void tokenMatchesOnlyItself() throws IOException {
        AdminToken token = AdminToken.load(Optional.of(tokenFile("  " + TOKEN + "\n\n", "r--------")));
        assertThat(token.matches(TOKEN)).isTrue();
        assertThat(token.matches(TOKEN + " ")).isFalse();
        assertThat(AdminToken.disabled().matches(TOKEN)).isFalse();
    }
}
