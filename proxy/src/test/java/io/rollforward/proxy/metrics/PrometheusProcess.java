package io.rollforward.proxy.metrics;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Prometheus server (Debian's {@code /usr/bin/prometheus}) for tests: listens on a free
 * loopback port, scrapes the given loopback targets every second as job {@code rollforward}, and
 * answers PromQL through its HTTP API. {@link #close()} stops it (call it from a finally or use
 * try-with-resources so it stops even when the test fails).
 *
 * <pre>{@code
 * PrometheusProcess.assumeInstalled();
 * try (PrometheusProcess prometheus = PrometheusProcess.start(tmpDir, List.of("127.0.0.1:" + adminPort))) {
 *     prometheus.awaitTargetsUp(Duration.ofSeconds(20));
 *     prometheus.awaitValue("sum(rollforward_requests_total)", 17, Duration.ofSeconds(20));
 * }
 * }</pre>
 */
public final class PrometheusProcess implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PrometheusProcess.class);

    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    public static final String JOB = "rollforward";
    private static final Duration STARTUP = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final URI base;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusProcess(Process process, URI base, Path logFile) {
        this.process = process;
        this.base = base;
        this.logFile = logFile;
    }

    /** True when the Prometheus binary is installed. */
    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Skips the calling test, with the reason, when Prometheus is not installed. */
    public static void assumeInstalled() {
        Assumptions.assumeTrue(installed(), BINARY + " not found: install Debian's 'prometheus' package to run this test");
    }

    /**
     * Starts Prometheus in {@code workDir} (config, TSDB and log go there) scraping {@code targets}
     * ({@code host:port}, loopback only) at {@code /metrics} every second, and waits until it is ready.
     */
    public static PrometheusProcess start(Path workDir, List<String> targets) throws IOException {
        for (String target : targets) {
            String host = target.substring(0, target.lastIndexOf(':'));
            if (!InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress()) {
                throw new IllegalArgumentException("target " + target + " (expected: a loopback address)");
            }
        }
        String config = """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: %s
                    metrics_path: /metrics
                    static_configs:
                      - targets: [%s]
                """.formatted(JOB, targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")));
        Path configFile = Files.writeString(workDir.resolve("prometheus.yml"), config);
        // The port is free when probed and may be taken before Prometheus binds it: try a few.
        IOException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return launch(workDir, configFile, freeLoopbackPort(), attempt);
            } catch (IOException e) {
                last = e;
                log.warn("prometheus attempt {} failed: {}", attempt, e.getMessage());
            }
        }
        throw last;
    }

    private static PrometheusProcess launch(Path workDir, Path configFile, int port, int attempt) throws IOException {
        Path tsdb = Files.createDirectories(workDir.resolve("tsdb-" + attempt));
        Path logFile = workDir.resolve("prometheus-" + attempt + ".log");
        Process process = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + tsdb,
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=info")
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        PrometheusProcess prometheus = new PrometheusProcess(process, URI.create("http://127.0.0.1:" + port), logFile);
        try {
            await("prometheus ready on port " + port).atMost(STARTUP).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IOException("prometheus exited with " + process.exitValue() + ": " + prometheus.log());
                        }
                        return prometheus.get("/-/ready").statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            prometheus.close();
            throw new IOException("prometheus did not become ready: " + e.getMessage() + "\n" + prometheus.log(), e);
        }
        log.info("prometheus {} ready at {}", process.pid(), prometheus.base);
        return prometheus;
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI baseUri() {
        return base;
    }

    /** Prometheus's own log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /**
     * Runs an instant query; returns the {@code data} object. Fails with Prometheus's error (e.g.
     * a PromQL syntax error) when the status is not {@code success}.
     */
    public JsonNode query(String promql) {
        HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        JsonNode body = parse(response.body());
        if (!"success".equals(body.path("status").asText())) {
            throw new AssertionError("query failed: " + promql + " -> " + response.statusCode() + " " + response.body());
        }
        return body.path("data");
    }

    /** The value of the first series an instant query returns, or empty when it returns none. */
    public OptionalDouble value(String promql) {
        JsonNode result = query(promql).path("result");
        if (!result.isArray() || result.isEmpty()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
    }

    /** Waits until {@code promql}'s first series equals {@code expected}. */
    public void awaitValue(String promql, double expected, Duration timeout) {
        await(promql + " == " + expected).atMost(timeout).pollInterval(Duration.ofMillis(250))
                .until(() -> value(promql).orElse(Double.NaN) == expected);
    }

    /** Waits until every target of job {@code rollforward} was scraped successfully. */
    public void awaitTargetsUp(Duration timeout) {
        await("targets up").atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode result = query("up{job=\"" + JOB + "\"}").path("result");
            if (result.isEmpty()) {
                return false;
            }
            for (JsonNode series : result) {
                if (!"1".equals(series.path("value").get(1).asText())) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Values of label {@code label} on series matching {@code match} ({@code /api/v1/label/.../values}). */
    public List<String> labelValues(String label, String match) {
        JsonNode body = parse(get("/api/v1/label/" + label + "/values?match[]="
                + URLEncoder.encode(match, StandardCharsets.UTF_8)).body());
        return JSON.convertValue(body.path("data"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    private HttpResponse<String> get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(5)).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    /** Stops Prometheus: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
