package io.rollforward.proxy.ha;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A child process of the HA namespace test (a proxy, the origins, the probe client, socat),
 * started with {@code ip netns exec NS} when given a namespace. {@code ip netns exec} execs the
 * command in place, so the process is the JVM itself: {@link #kill()} is a real kill -9 and
 * {@link #terminate()} a real SIGTERM. Output (merged) goes to a file.
 */
public final class ChildProcess implements AutoCloseable {
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xmx256m", "-Dio.netty.leakDetection.level=paranoid");

    public final String name;
    public final Process process;
    public final Path output;

    private ChildProcess(String name, Process process, Path output) {
        this.name = name;
        this.process = process;
        this.output = output;
    }

    /** {@code ip netns exec NS java -cp <this test's classpath> MAIN ARGS...}. */
    public static ChildProcess java(String name, String ns, Path dir, String mainClass, String... args) throws IOException {
        return java(name, ns, dir, false, mainClass, args);
    }

    /**
     * As {@link #java(String, String, Path, String, String...)}; {@code raised} runs it at nice -10,
     * as an HA daemon should run (Linux-HA heartbeat's {@code realtime on}, keepalived's
     * {@code vrrp_rt_priority}): on a busy machine a starved heartbeat sender looks dead.
     * {@code nice} execs in place too, so the process is still the JVM.
     */
    public static ChildProcess java(String name, String ns, Path dir, boolean raised, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        if (raised) {
            command.addAll(List.of("nice", "-n", "-10"));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(args));
        return start(name, dir, command);
    }

    public static ChildProcess start(String name, Path dir, List<String> command) throws IOException {
        Path out = Files.createTempFile(dir, name + "-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new ChildProcess(name, p, out);
    }

    public String text() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    public boolean logged(String regex) {
        return Pattern.compile(regex, Pattern.MULTILINE).matcher(text()).find();
    }

    /** Waits until the output has a line matching {@code regex}; fails with the output if not. */
    public void awaitLog(String regex, Duration atMost) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(10)).until(() -> logged(regex));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(name + " did not log /" + regex + "/ within " + atMost
                    + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; output:\n" + tail(), e);
        }
    }

    public String tail() {
        String t = text();
        return t.length() <= 6000 ? t : "..." + t.substring(t.length() - 6000);
    }

    /** kill -9, then wait for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM (a graceful stop). */
    public void terminate() {
        process.destroy();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
