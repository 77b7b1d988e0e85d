package io.rollforward.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs external {@link Command}s with a bounded time and a bounded output, and kills the whole
 * process tree of one that runs too long.
 *
 * <p>{@link #start} runs the command on this runner's own threads and returns at once, so an
 * event loop may call it; {@link #run} runs it on the caller's thread, for callers that are on a
 * thread of their own already (never call it on an event loop). A {@link #sequential} runner
 * runs its commands one at a time in the order they were started (role-change notifications); a
 * {@link #concurrent} one runs them side by side.
 *
 * <p>Each command gets stdin at end of file, and its stdout and stderr merged into a temp file
 * rather than a pipe: a child left running by a script would keep a pipe open and block the
 * reader, and a chatty command cannot fill a file the way it fills a pipe. At most
 * {@link Command#outputLimit()} characters of it (default {@link #DEFAULT_OUTPUT_CHARS}) are kept. When the timeout passes (or the wait is
 * interrupted) the command and every descendant found at that moment get SIGTERM, and after
 * {@link #KILL_GRACE} whatever still lives gets SIGKILL. The outcome is logged (at DEBUG when it
 * exited by itself, at WARN otherwise) and returned; nothing is thrown.
 */
public final class CommandRunner implements AutoCloseable {
    /** Characters of a command's output kept in its {@link CommandResult}, unless the command says otherwise. */
    public static final int DEFAULT_OUTPUT_CHARS = 4096;
    /** Between SIGTERM and SIGKILL of a process tree whose time is up. */
    public static final Duration KILL_GRACE = Duration.ofMillis(500);
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    private static final File NO_INPUT = new File("/dev/null");

    private final ExecutorService executor;

    private CommandRunner(ExecutorService executor) {
        this.executor = executor;
    }

    /** Runs started commands one at a time, in order, on one daemon thread called {@code threadName}. */
    public static CommandRunner sequential(String threadName) {
        return new CommandRunner(Executors.newSingleThreadExecutor(daemon(threadName)));
    }

    /** Runs started commands side by side, each on a daemon thread called {@code threadName}. */
    public static CommandRunner concurrent(String threadName) {
        return new CommandRunner(Executors.newCachedThreadPool(daemon(threadName)));
    }

    /**
     * Starts {@code command} on this runner's threads and returns at once; the future completes
     * with its result (never exceptionally). After {@link #close()} the result is
     * {@link CommandResult.Status#FAILED_TO_START}.
     */
    public CompletableFuture<CommandResult> start(Command command) {
        try {
            return CompletableFuture.supplyAsync(() -> run(command), executor);
        } catch (RejectedExecutionException closed) {
            return CompletableFuture.completedFuture(logged(notStarted(command, "runner closed")));
        }
    }

    /** Runs {@code command} on the calling thread, at most its timeout plus the kill grace. */
    public static CommandResult run(Command command) {
        long startedAt = System.nanoTime();
        Path output = null;
        try {
            output = Files.createTempFile("rollforward-cmd-", ".out");
            Process process;
            try {
                ProcessBuilder builder = new ProcessBuilder(command.argv())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .redirectInput(NO_INPUT);
                builder.environment().putAll(command.environment());
                process = builder.start();
            } catch (IOException | RuntimeException cannotStart) {
                return logged(notStarted(command, String.valueOf(cannotStart.getMessage())));
            }
            CommandResult.Status status = await(process, command.timeout());
            if (status != CommandResult.Status.EXITED) {
                killTree(process);
            }
            return logged(finished(command, status, process, output, System.nanoTime() - startedAt));
        } catch (IOException e) {
            return logged(notStarted(command, "temp file for its output: " + e.getMessage()));
        } finally {
            deleteQuietly(output);
        }
    }

    /** Stops taking commands; running ones are killed with their trees ({@code CANCELLED}). */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static CommandResult.Status await(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    ? CommandResult.Status.EXITED : CommandResult.Status.TIMED_OUT;
        } catch (InterruptedException cancelled) {
            Thread.currentThread().interrupt();
            return CommandResult.Status.CANCELLED;
        }
    }

    /**
     * SIGTERM to the process and every descendant, SIGKILL after the grace to what is left. The
     * descendants are listed first: once the parent dies they are reparented out of its tree.
     */
    private static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        if (!awaitExit(tree, KILL_GRACE)) {
            List<ProcessHandle> left = new ArrayList<>();
            for (ProcessHandle p : tree) {
                if (p.isAlive()) {
                    p.descendants().forEach(left::add);
                    left.add(p);
                }
            }
            left.forEach(ProcessHandle::destroyForcibly);
            awaitExit(left, KILL_GRACE);
        }
    }

    private static boolean awaitExit(List<ProcessHandle> processes, Duration atMost) {
        boolean interrupted = Thread.interrupted();
        try {
            CompletableFuture.allOf(processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
                    .get(atMost.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            interrupted = true;
            return false;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static CommandResult finished(Command command, CommandResult.Status status, Process process, Path output,
                                          long elapsedNanos) {
        StringBuilder text = new StringBuilder();
        boolean truncated = false;
        // InputStreamReader replaces bytes that are not UTF-8 instead of failing.
        try (Reader reader = new InputStreamReader(Files.newInputStream(output), StandardCharsets.UTF_8)) {
            char[] chunk = new char[1024];
            int n;
            while ((n = reader.read(chunk)) >= 0) {
                int room = command.outputLimit() - text.length();
                text.append(chunk, 0, Math.min(n, room));
                if (n > room) {
                    truncated = true;
                    break;
                }
            }
        } catch (IOException e) {
            text.append("(output unreadable: ").append(e.getMessage()).append(')');
        }
        int exitCode = status == CommandResult.Status.EXITED ? process.exitValue() : -1;
        return new CommandResult(command, status, exitCode, text.toString().strip(), truncated, process.pid(),
                Duration.ofNanos(elapsedNanos));
    }

    private static CommandResult notStarted(Command command, String why) {
        return new CommandResult(command, CommandResult.Status.FAILED_TO_START, -1, why, false, -1, Duration.ZERO);
    }

    private static CommandResult logged(CommandResult result) {
        if (result.status() == CommandResult.Status.EXITED) {
            log.debug("{} ({} ms)", result.describe(), result.elapsed().toMillis());
        } else {
            log.warn("{}", result.describe());
        }
        return result;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
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
