package io.rollforward.proxy.tls;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code rollforward run -c FILE} as its own JVM, as systemd runs it: signals are real signals
 * (SIGHUP reload, SIGTERM drain), the exit code is the process's. Output goes to a file.
 */
final class ProxyProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile(
            "listening on /127\\.0\\.0\\.1:(\\d+) and TLS on /127\\.0\\.0\\.1:(\\d+)");
    private final Process process;
    private final Path output;
    final int plainPort;
    final int tlsPort;

    private ProxyProcess(Process process, Path output, int plainPort, int tlsPort) {
        this.process = process;
        this.output = output;
        this.plainPort = plainPort;
        this.tlsPort = tlsPort;
    }

    static ProxyProcess run(Path config) throws IOException {
        Path out = Files.createTempFile(config.getParent(), "proxy-", ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx192m",
                "-cp", System.getProperty("java.class.path"), "io.rollforward.proxy.Main", "run", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        String[] ports = new String[2];
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                Matcher m = LISTENING.matcher(text(out));
                if (m.find()) {
                    ports[0] = m.group(1);
                    ports[1] = m.group(2);
                    return true;
                }
                return !p.isAlive();
            });
        } catch (ConditionTimeoutException e) {
            p.destroyForcibly();
            throw new AssertionError("the proxy did not start; output:\n" + text(out), e);
        }
        if (ports[0] == null) {
            throw new AssertionError("the proxy exited " + p.exitValue() + "; output:\n" + text(out));
        }
        return new ProxyProcess(p, out, Integer.parseInt(ports[0]), Integer.parseInt(ports[1]));
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The admin port, from the start-up log. */
    int adminPort() {
        Matcher m = Pattern.compile("admin port listening on /127\\.0\\.0\\.1:(\\d+)").matcher(output());
        if (!m.find()) {
            throw new AssertionError("no admin port in the output:\n" + output());
        }
        return Integer.parseInt(m.group(1));
    }

    String output() {
        return text(output);
    }

    /** How many lines of the output contain {@code fragment}. */
    long count(String fragment) {
        return output().lines().filter(l -> l.contains(fragment)).count();
    }

    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits for the exit and returns its code. */
    int awaitExit(Duration atMost) throws InterruptedException {
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the proxy did not exit within " + atMost + "; output:\n" + output());
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

}
