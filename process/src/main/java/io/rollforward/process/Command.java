package io.rollforward.process;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One external command: its argv, what it gets in its environment on top of ours, and how long
 * it may run before its process tree is killed. Immutable; the {@code with...} methods return a
 * copy.
 *
 * @param argv        program and arguments, not empty; no shell is involved
 * @param environment variables added to (or replacing) the inherited environment
 * @param timeout     how long it may run, &gt; 0
 * @param outputLimit characters of its output kept, &gt; 0; default
 *                    {@link CommandRunner#DEFAULT_OUTPUT_CHARS}
 */
public record Command(List<String> argv, Map<String, String> environment, Duration timeout, int outputLimit) {
    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("argv: [] (expected: a program)");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        if (outputLimit <= 0) {
            throw new IllegalArgumentException("outputLimit: " + outputLimit + " (expected: > 0)");
        }
    }

    /** {@code argv} with nothing added to the environment. */
    public static Command of(Duration timeout, List<String> argv) {
        return new Command(argv, Map.of(), timeout, CommandRunner.DEFAULT_OUTPUT_CHARS);
    }

    /** {@code argv} with nothing added to the environment. */
    public static Command of(Duration timeout, String... argv) {
        return of(timeout, List.of(argv));
    }

    /** The same command with {@code name=value} in its environment. */
    public Command withEnv(String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put(name, value);
        return new Command(argv, env, timeout, outputLimit);
    }

    /**
     * The same command run through {@code prefix}, e.g. {@code ip netns exec NS} in tests;
     * an empty prefix returns this command.
     */
    public Command prefixed(List<String> prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        List<String> full = new ArrayList<>(prefix.size() + argv.size());
        full.addAll(prefix);
        full.addAll(argv);
        return new Command(full, environment, timeout, outputLimit);
    }

    /** The same command keeping up to {@code chars} characters of its output (tests, diagnostics). */
    public Command withOutputLimit(int chars) {
        return new Command(argv, environment, timeout, chars);
    }

    /** The argv joined by spaces, for messages. */
    public String display() {
        return String.join(" ", argv);
    }
}
