package io.rollforward.proxy.testing;

import static org.awaitility.Awaitility.await;

import io.rollforward.config.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache 2.4 (mpm_event) origin on 127.0.0.1 for integration tests, in its own temp
 * ServerRoot (see {@link ApacheServerRoot} for the layout).
 *
 * <p>Served: {@code /index.html}, {@code /.testpage} ("test page"), {@code /1k.bin},
 * {@code /64k.bin}, {@code /big.bin} (2 MiB; bytes from {@link #contentOf(String)}),
 * {@code /ratelimited/64k.bin} (mod_ratelimit, ~1 s), {@code /cgi-bin/slow?ms=N&id=X} and
 * {@code /cgi-bin/echo[?status=N]} (see {@link OriginScripts}). Every response carries
 * {@code X-Origin: <name>}.
 *
 * <pre>{@code
 * ApacheInstance.assumeAvailable();
 * try (ApacheInstance master = ApacheInstance.start("master");
 *      ApacheInstance backup = ApacheInstance.start("backup")) {
 *     ReplicaConfig m = ReplicaConfig.of("master", master.hostPort());
 *     ...
 *     master.killHard();   // kill -9 parent and children; port refuses afterwards
 *     master.restart();    // same port again
 * }
 * }</pre>
 */
public final class ApacheInstance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ApacheInstance.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final int START_ATTEMPTS = 3;

    private final String name;
    private final ApacheServerRoot serverRoot;
    private int port;
    private ApacheProcess process;

    private ApacheInstance(String name, ApacheServerRoot serverRoot) {
        this.name = name;
        this.serverRoot = serverRoot;
    }

    /** Skips the calling test (JUnit assumption) when Apache 2.4 with mpm_event is not installed. */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(Files.isExecutable(ApacheServerRoot.APACHE_BINARY),
                "apache2 not installed: apt-get install apache2");
        Assumptions.assumeTrue(Files.exists(ApacheServerRoot.MODULES.resolve("mod_mpm_event.so")),
                "apache2 modules missing under " + ApacheServerRoot.MODULES + ": apt-get install apache2");
    }

    /**
     * Writes a fresh ServerRoot for {@code name}, starts Apache on a free loopback port and returns
     * once the port accepts connections.
     */
    public static ApacheInstance start(String name) throws IOException {
        ApacheInstance instance = new ApacheInstance(name, ApacheServerRoot.create(name));
        try {
            instance.startOnFreePort();
            return instance;
        } catch (RuntimeException | IOException | Error e) {
            instance.close();
            throw e;
        }
    }

    /** The bytes of a deterministic file in the DocumentRoot, e.g. {@code contentOf("1k.bin")}. */
    public static byte[] contentOf(String file) {
        return switch (file) {
            case "1k.bin" -> ApacheServerRoot.deterministicBytes(1024);
            case "64k.bin", "ratelimited/64k.bin" -> ApacheServerRoot.deterministicBytes(64 * 1024);
            case "big.bin" -> ApacheServerRoot.deterministicBytes(2 * 1024 * 1024);
            default -> throw new IllegalArgumentException("file: " + file
                    + " (expected: 1k.bin, 64k.bin, big.bin, ratelimited/64k.bin)");
        };
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}, ready for {@code ReplicaConfig.of(name, hostPort())}. */
    public HostPort hostPort() {
        return HostPort.of("127.0.0.1", port);
    }

    /** {@code http://127.0.0.1:port/}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public Path docRoot() {
        return serverRoot.docRoot();
    }

    public Path errorLog() {
        return serverRoot.logDir().resolve("error.log");
    }

    /** True while the Apache parent process runs (it may still be starting). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * What the echo CGI received, one entry per request in arrival order. Compare the master's
     * list with the backup's to check that both got the same requests.
     */
    public List<EchoedRequest> echoedRequests() throws IOException {
        return EchoedRequest.readLog(serverRoot.logDir().resolve("echo.log"));
    }

    /**
     * kill -9 of the Apache parent and every child (workers, the cgid daemon, running CGIs), then
     * waits until the port refuses connections: the way a crashed web server looks to a proxy.
     */
    public void killHard() {
        if (process == null) {
            return;
        }
        process.killHard();
        process = null;
        awaitPortRefuses();
        log.info("apache {} on port {} killed with SIGKILL", name, port);
    }

    /** Starts Apache again on the same port (after {@link #killHard()} or {@link #stop()}). */
    public void restart() throws IOException {
        if (isRunning()) {
            stop();
        }
        launch();
        awaitListening();
    }

    /** Graceful stop (SIGWINCH: finish in-flight requests, at most 5 s), then waits for exit. */
    public void stop() {
        if (process == null) {
            return;
        }
        process.stopGracefully(STOP_TIMEOUT);
        process = null;
        awaitPortRefuses();
    }

    /** Stops Apache (hard if graceful fails) and deletes the ServerRoot. Safe to call twice. */
    @Override
    public void close() {
        ApacheProcess running = process;
        try {
            if (running != null) {
                try {
                    stop();
                } catch (RuntimeException e) {
                    log.warn("apache {}: graceful stop failed, killing: {}", name, e.toString());
                    process = null;
                    running.killHard();
                }
            }
        } finally {
            serverRoot.deleteRecursively();
        }
    }

    @Override
    public String toString() {
        return "ApacheInstance[" + name + " " + hostPort() + "]";
    }

    private void startOnFreePort() throws IOException {
        for (int attempt = 1; ; attempt++) {
            port = freeLoopbackPort();
            launch();
            try {
                awaitListening();
                return;
            } catch (ApacheStartException e) {
                // Another process may have taken the port between our probe and Apache's bind.
                if (attempt == START_ATTEMPTS || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
                log.info("apache {}: port {} taken, trying another", name, port);
            }
        }
    }

    private void launch() throws IOException {
        serverRoot.writeConf(name, port);
        Files.deleteIfExists(serverRoot.pidFile());
        Files.deleteIfExists(serverRoot.runDir().resolve("cgid.sock"));
        process = ApacheProcess.launch(serverRoot);
    }

    private void awaitListening() {
        ApacheProcess launched = process;
        try {
            await("apache " + name + " listening on " + port)
                    .atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!launched.isAlive()) {
                            throw new ApacheStartException("apache " + name + " exited with "
                                    + launched.exitValue() + " before listening on " + port + ":\n"
                                    + launched.output() + tail(errorLog()));
                        }
                        return accepts(port);
                    });
        } catch (RuntimeException e) {
            launched.killHard();
            process = null;
            throw e;
        }
        log.info("apache {} listening on 127.0.0.1:{} (pid {}, root {})", name, port, launched.pid(),
                serverRoot.root());
    }

    private void awaitPortRefuses() {
        await("apache " + name + " port " + port + " refusing")
                .atMost(STOP_TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> !accepts(port));
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            return probe.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Apache exited or failed while starting; the message carries its output and error log. */
    static final class ApacheStartException extends IllegalStateException {
        ApacheStartException(String message) {
            super(message);
        }
    }
}
