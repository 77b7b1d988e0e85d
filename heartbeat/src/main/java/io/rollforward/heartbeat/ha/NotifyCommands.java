package io.rollforward.heartbeat.ha;

import io.rollforward.config.NotifyConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs the operator's command for a role change, like keepalived's {@code notify_master},
 * {@code notify_backup} and {@code notify_stop}: {@code notifications.active} when this node
 * becomes ACTIVE, {@code standby} when it becomes STANDBY, {@code leaving} when it stops.
 *
 * <p>Commands run one at a time, in the order of the role changes, on a thread of their own
 * (never the caller's: the state machine runs on an event loop). Each gets the environment
 * {@code ROLLFORWARD_ROLE}, {@code ROLLFORWARD_PREVIOUS_ROLE}, {@code ROLLFORWARD_NODE} and
 * {@code ROLLFORWARD_REASON}, stdin at end of file, and is killed with its children
 * (SIGKILL) after {@code notifications.timeout} so a hung script cannot hold up the next one.
 * Exit code and first output line (stdout and stderr) are logged.
 */
public final class NotifyCommands implements RoleChange.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotifyCommands.class);
    private static final int MAX_LOGGED_LINE = 200;

    /** How a command ended. */
    public enum Status { EXITED, KILLED_AFTER_TIMEOUT, FAILED_TO_START }

    /**
     * @param exitCode  the exit code, or -1 when it did not exit by itself
     * @param firstLine first line of its output (or the start error), at most 200 characters
     */
    public record Outcome(List<String> argv, Status status, int exitCode, String firstLine) {
    }

    private final NotifyConfig config;
    private final String node;
    private final ExecutorService executor;

    public NotifyCommands(NotifyConfig config, String node) {
        this.config = Objects.requireNonNull(config, "config");
        this.node = Objects.requireNonNull(node, "node");
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "notify-commands");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the command for this change, if one is configured, and returns at once. */
    @Override
    public void onRoleChange(RoleChange change) {
        run(change);
    }

    /**
     * Starts the command for this change, if one is configured, and returns at once. The future
     * completes with its outcome, or empty when no command is configured for the new role
     * (or this object is closed).
     */
    public CompletableFuture<Optional<Outcome>> run(RoleChange change) {
        List<String> argv = switch (change.to()) {
            case ACTIVE -> config.active();
            case STANDBY -> config.standby();
            case LEAVING -> config.leaving();
            case INIT -> List.of();
        };
        if (argv.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        try {
            return CompletableFuture.supplyAsync(() -> Optional.of(execute(argv, change)), executor);
        } catch (RejectedExecutionException closed) {
            log.warn("notify command {} for {} not run: closed", argv, change.to());
            return CompletableFuture.completedFuture(Optional.empty());
        }
    }

    /** Stops taking commands; a running command is killed. */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private Outcome execute(List<String> argv, RoleChange change) {
        Path output = null;
        try {
            output = Files.createTempFile("rollforward-notify-", ".out");
            // Output goes to a file, not a pipe: a child left running by the script would keep a
            // pipe open and block whoever reads it.
            ProcessBuilder builder = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            Map<String, String> env = builder.environment();
            env.put("ROLLFORWARD_ROLE", change.to().name());
            env.put("ROLLFORWARD_PREVIOUS_ROLE", change.from().name());
            env.put("ROLLFORWARD_NODE", node);
            env.put("ROLLFORWARD_REASON", change.reason());
            Process process;
            try {
                process = builder.start();
            } catch (IOException | RuntimeException cannotStart) {
                log.warn("notify command {} for {} failed to start: {}", argv, change.to(), cannotStart.toString());
                return new Outcome(argv, Status.FAILED_TO_START, -1, String.valueOf(cannotStart.getMessage()));
            }
            process.getOutputStream().close();
            Outcome outcome = await(process, argv, output);
            report(outcome, change);
            return outcome;
        } catch (IOException e) {
            log.warn("notify command {} for {}: {}", argv, change.to(), e.toString());
            return new Outcome(argv, Status.FAILED_TO_START, -1, String.valueOf(e.getMessage()));
        } finally {
            deleteQuietly(output);
        }
    }

    private Outcome await(Process process, List<String> argv, Path output) throws IOException {
        Duration timeout = config.timeout();
        boolean exited;
        try {
            exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException closing) {
            Thread.currentThread().interrupt();
            exited = false;
        }
        if (exited) {
            return new Outcome(argv, Status.EXITED, process.exitValue(), firstLine(output));
        }
        // Children first: once the script dies they are reparented and harder to find.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return new Outcome(argv, Status.KILLED_AFTER_TIMEOUT, -1, firstLine(output));
    }

    private void report(Outcome outcome, RoleChange change) {
        if (outcome.status() == Status.EXITED && outcome.exitCode() == 0) {
            log.info("notify command {} for {} -> {}: exit 0: {}", outcome.argv(), change.from(), change.to(),
                    outcome.firstLine());
        } else if (outcome.status() == Status.EXITED) {
            log.warn("notify command {} for {} -> {}: exit {}: {}", outcome.argv(), change.from(), change.to(),
                    outcome.exitCode(), outcome.firstLine());
        } else {
            log.warn("notify command {} for {} -> {}: killed after timeout {}: {}", outcome.argv(), change.from(),
                    change.to(), config.timeout(), outcome.firstLine());
        }
    }

    private static String firstLine(Path output) throws IOException {
        // InputStreamReader replaces bytes that are not UTF-8 instead of failing.
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(Files.newInputStream(output), StandardCharsets.UTF_8))) {
            // Bounded: a script may print megabytes without a newline.
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = reader.read()) >= 0 && c != '\n' && c != '\r') {
                if (line.length() == MAX_LOGGED_LINE) {
                    return line + "...";
                }
                line.append((char) c);
            }
            return line.toString();
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", file, e.toString());
        }
    }
}
