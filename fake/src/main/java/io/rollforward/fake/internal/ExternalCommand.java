package io.rollforward.fake.internal;

import io.rollforward.fake.VipException;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short external command ({@code ip}, {@code arping}) and collects its exit code and
 * output. Blocks the calling thread for at most the timeout, so callers run it on their own
 * thread, never on an event loop. Output goes to a temp file rather than a pipe, so a chatty
 * command can never fill a pipe and hang, and no reader thread is needed.
 */
public final class ExternalCommand {
    private ExternalCommand() {
    }

    /** The exit code and the merged stdout + stderr, trimmed. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Starts the command; the caller decides how long to wait. Output is merged into {@code output}. */
    public static Process start(List<String> command, File output) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        // Parse-stable messages: iproute2 and arping print localized text otherwise.
        pb.environment().put("LC_ALL", "C");
        pb.redirectErrorStream(true);
        pb.redirectOutput(output);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        return pb.start();
    }

    /**
     * Runs the command to completion.
     *
     * @throws VipException if it cannot be started (missing binary) or does not finish in time
     */
    public static Result run(List<String> command, Duration timeout) {
        File out = null;
        try {
            out = File.createTempFile("rollforward-cmd", ".out");
            Process process = start(command, out);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new VipException("'" + String.join(" ", command) + "' did not finish within " + timeout);
            }
            String text = Files.readString(out.toPath(), StandardCharsets.UTF_8).trim();
            return new Result(process.exitValue(), text);
        } catch (IOException e) {
            throw new VipException("cannot run '" + command.get(0) + "' (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VipException("interrupted while running '" + String.join(" ", command) + "'", e);
        } finally {
            if (out != null && !out.delete()) {
                out.deleteOnExit();
            }
        }
    }

    /** {@code wrapper + command}: lets tests and tools run a command inside {@code ip netns exec NS}. */
    public static List<String> wrapped(List<String> wrapper, String... command) {
        List<String> full = new ArrayList<>(wrapper.size() + command.length);
        full.addAll(wrapper);
        full.addAll(List.of(command));
        return full;
    }
}
