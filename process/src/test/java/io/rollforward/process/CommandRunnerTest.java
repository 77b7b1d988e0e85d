package io.rollforward.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandRunnerTest {
    @TempDir
    Path dir;
    private CommandRunner runner;

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void reportsExitCodeOutputAndEnvironment() {
        CommandResult r = CommandRunner.run(Command.of(Duration.ofSeconds(10), "sh", "-c",
                        "echo \"x=$X stdin=$(wc -c < /dev/stdin)\"; echo to stderr >&2; exit 3")
                .withEnv("X", "42"));

        assertThat(r.status()).isEqualTo(CommandResult.Status.EXITED);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).isEqualTo("x=42 stdin=0\nto stderr");
        assertThat(r.firstLine()).isEqualTo("x=42 stdin=0");
        assertThat(r.truncated()).isFalse();
        assertThat(r.describe()).isEqualTo("'sh -c echo \"x=$X stdin=$(wc -c < /dev/stdin)\"; echo to stderr >&2;"
                + " exit 3': exit 3: x=42 stdin=0 ...");
    }

    /** The shell (ignoring SIGTERM or not), its background sleep and its foreground sleep: all gone. */
    @ParameterizedTest
    @ValueSource(strings = {"sleep 60 & sleep 60", "trap '' TERM; sleep 60 & sleep 60"})
    void aCommandPastItsTimeoutIsKilledWithItsWholeTree(String script) throws Exception {
        runner = CommandRunner.concurrent("test-runner");
        String marker = "rollforward-test-" + UUID.randomUUID();
        CompletableFuture<CommandResult> future = runner.start(Command.of(Duration.ofSeconds(2), "sh", "-c",
                "echo started; " + script, marker));
        assertThat(future).as("start() must not wait for the command").isNotDone();

        ProcessHandle shell = await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains(marker)).orElse(false))
                .findFirst().orElse(null), p -> p != null && p.descendants().count() == 2);
        List<ProcessHandle> tree = List.of(shell, shell.descendants().toList().get(0), shell.descendants().toList().get(1));

        CommandResult r = future.get(20, TimeUnit.SECONDS);

        assertThat(r.status()).isEqualTo(CommandResult.Status.TIMED_OUT);
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(r.pid()).isEqualTo(shell.pid());
        // The shell may add "Terminated" for its killed foreground sleep.
        assertThat(r.firstLine()).isEqualTo("started");
        assertThat(r.describe()).startsWith("'sh -c echo started; " + script + " " + marker
                + "': killed after its timeout PT2S: started");
        assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        for (ProcessHandle p : tree) {
            await().atMost(Duration.ofSeconds(5)).until(() -> gone(p.pid()));
        }
    }

    @Test
    void outputIsCutAtTheBound() {
        CommandResult r = CommandRunner.run(Command.of(Duration.ofSeconds(10), "seq", "1", "100000"));

        assertThat(r.ok()).isTrue();
        assertThat(r.truncated()).isTrue();
        assertThat(r.output()).hasSizeLessThanOrEqualTo(CommandRunner.DEFAULT_OUTPUT_CHARS).startsWith("1\n2\n3\n");
        CommandResult whole = CommandRunner.run(Command.of(Duration.ofSeconds(10), "seq", "1", "100000")
                .withOutputLimit(1 << 20));
        assertThat(whole.truncated()).isFalse();
        assertThat(whole.output()).endsWith("\n100000");
    }

    @Test
    void aProgramThatCannotStartIsReportedNotThrown() {
        CommandResult r = CommandRunner.run(Command.of(Duration.ofSeconds(5), dir.resolve("no-such-program").toString()));

        assertThat(r.status()).isEqualTo(CommandResult.Status.FAILED_TO_START);
        assertThat(r.pid()).isEqualTo(-1);
        assertThat(r.output()).contains("no-such-program");
    }

    @Test
    void aSequentialRunnerRunsInTheOrderStarted() throws Exception {
        runner = CommandRunner.sequential("test-runner");
        Path log = dir.resolve("order.txt");
        List<CompletableFuture<CommandResult>> runs = List.of(
                runner.start(Command.of(Duration.ofSeconds(10), "sh", "-c", "sleep 0.3; echo first >> " + log)),
                runner.start(Command.of(Duration.ofSeconds(10), "sh", "-c", "echo second >> " + log)));

        for (CompletableFuture<CommandResult> run : runs) {
            assertThat(run.get(20, TimeUnit.SECONDS).ok()).isTrue();
        }
        assertThat(Files.readAllLines(log)).containsExactly("first", "second");
    }

    @Test
    void closingTheRunnerKillsWhatRunsAndRefusesMore() throws Exception {
        runner = CommandRunner.concurrent("test-runner");
        Path pidFile = dir.resolve("pid");
        CompletableFuture<CommandResult> running = runner.start(Command.of(Duration.ofSeconds(60), "sh", "-c",
                "echo $$ > " + pidFile + "; sleep 60"));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(pidFile) && Files.size(pidFile) > 0);

        runner.close();

        CommandResult r = running.get(20, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(CommandResult.Status.CANCELLED);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        await().atMost(Duration.ofSeconds(5)).until(() -> gone(pid));
        CommandResult refused = runner.start(Command.of(Duration.ofSeconds(5), "true")).get(5, TimeUnit.SECONDS);
        assertThat(refused.status()).isEqualTo(CommandResult.Status.FAILED_TO_START);
        assertThat(refused.output()).isEqualTo("runner closed");
    }

    @Test
    void aCommandNeedsAProgramAndATimeout() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Command.of(Duration.ofSeconds(1), List.of()))
                .withMessage("argv: [] (expected: a program)");
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> Command.of(Duration.ZERO, "true"))
                .withMessage("timeout: PT0S (expected: > 0)");
        assertThat(Command.of(Duration.ofSeconds(1), "ip", "addr").prefixed(List.of("ip", "netns", "exec", "ns")).argv())
                .containsExactly("ip", "netns", "exec", "ns", "ip", "addr");
    }

    /** Gone, or a zombie nobody has reaped yet (an init that does not reap, as in some containers). */
    private static boolean gone(long pid) throws IOException {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            Path stat = Path.of("/proc", String.valueOf(pid), "stat");
            try {
                String s = Files.readString(stat);
                return s.substring(s.lastIndexOf(')') + 2).startsWith("Z");
            } catch (java.nio.file.NoSuchFileException e) {
                return true;
            }
        }
        return true;
    }
}
