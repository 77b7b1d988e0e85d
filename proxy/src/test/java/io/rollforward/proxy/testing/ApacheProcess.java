package io.rollforward.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code apache2 -f CONF -DFOREGROUND}, started through {@code setsid} so Apache is
 * the leader of its own process group: {@code kill -9 -PGID} then reaches the workers, the cgid
 * daemon and every running CGI, like a machine losing its web server.
 */
final class ApacheProcess {
    private static final Logger log = LoggerFactory.getLogger(ApacheProcess.class);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path output;

    private ApacheProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static ApacheProcess launch(ApacheServerRoot root) throws IOException {
        Path output = root.logDir().resolve("stdout.log");
        ProcessBuilder builder = new ProcessBuilder("setsid", ApacheServerRoot.APACHE_BINARY.toString(),
                "-f", root.conf().toString(), "-DFOREGROUND")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        // The Debian binary reads these from /etc/apache2/envvars when run by apache2ctl; our
        // config names every path itself, but keep them pointing into the temp root regardless.
        Map<String, String> env = builder.environment();
        env.put("APACHE_RUN_DIR", root.runDir().toString());
        env.put("APACHE_PID_FILE", root.pidFile().toString());
        env.put("APACHE_LOCK_DIR", root.runDir().toString());
        env.put("APACHE_LOG_DIR", root.logDir().toString());
        env.put("APACHE_RUN_USER", ApacheServerRoot.RUN_USER);
        env.put("APACHE_RUN_GROUP", ApacheServerRoot.RUN_USER);
        env.put("LANG", "C");
        return new ApacheProcess(builder.start(), output);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    String output() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL to the whole process group and to every descendant seen, then waits for all to die. */
    void killHard() {
        // Snapshot first: once the parent dies its children are re-parented and no longer ours.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        signal("-KILL", "-" + process.pid());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            awaitExit(handle, KILL_TIMEOUT);
        }
    }

    /**
     * SIGWINCH is Apache's graceful-stop: in-flight requests finish (GracefulShutdownTimeout 5 in
     * our config). Falls back to {@link #killHard()} when Apache does not exit in time.
     */
    void stopGracefully(Duration timeout) {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> children = process.descendants().toList();
        signal("-WINCH", Long.toString(process.pid()));
        if (!awaitExit(process.toHandle(), timeout)) {
            log.warn("apache pid {} ignored graceful stop for {}, killing", process.pid(), timeout);
            killHard();
            return;
        }
        children.forEach(child -> awaitExit(child, KILL_TIMEOUT));
    }

    private static void signal(String signal, String target) {
        try {
            Process kill = new ProcessBuilder("kill", signal, "--", target)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("kill " + signal + " " + target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + target, e);
        }
    }

    private static boolean awaitExit(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for pid " + handle.pid(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for pid " + handle.pid(), e);
        }
    }
}
