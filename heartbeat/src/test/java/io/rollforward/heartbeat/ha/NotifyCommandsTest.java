package io.rollforward.heartbeat.ha;

import io.rollforward.config.NotifyConfig;
import io.rollforward.process.CommandResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class NotifyCommandsTest {
    private static final RoleChange TO_ACTIVE = new RoleChange(Role.STANDBY, Role.ACTIVE, "peer dead on every link");

    @TempDir
    Path dir;
    private NotifyCommands commands;

    @AfterEach
    void close() {
        if (commands != null) {
            commands.close();
        }
    }

    @Test
    void runsTheRolesCommandWithItsEnvironment() throws Exception {
        Path script = script("notify.sh", """
                #!/bin/sh
                echo "role=$ROLLFORWARD_ROLE previous=$ROLLFORWARD_PREVIOUS_ROLE node=$ROLLFORWARD_NODE" > "$1"
                echo "reason=$ROLLFORWARD_REASON" >> "$1"
                echo "stdin: $(cat /dev/stdin | wc -c) bytes on stdin"
                echo second line
                exit 3
                """);
        Path envFile = dir.resolve("env.txt");
        commands = new NotifyCommands(new NotifyConfig(List.of(script.toString(), envFile.toString()),
                List.of(), List.of(), Duration.ofSeconds(10)), "node-a");

        commands.onRoleChange(TO_ACTIVE);

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(envFile) && Files.size(envFile) > 0
                && Files.readAllLines(envFile).size() == 2);
        assertThat(Files.readAllLines(envFile)).containsExactly(
                "role=ACTIVE previous=STANDBY node=node-a",
                "reason=peer dead on every link");

        Optional<CommandResult> outcome = commands.run(TO_ACTIVE).get(10, TimeUnit.SECONDS);
        assertThat(outcome).hasValueSatisfying(o -> {
            assertThat(o.status()).isEqualTo(CommandResult.Status.EXITED);
            assertThat(o.exitCode()).isEqualTo(3);
            assertThat(o.firstLine()).isEqualTo("stdin: 0 bytes on stdin");
        });
    }

    @Test
    void aHangingCommandAndItsChildrenAreKilledAfterTheTimeout() throws Exception {
        Path pidFile = dir.resolve("child.pid");
        Path script = script("hang.sh", """
                #!/bin/sh
                echo started
                sleep 60 &
                echo $! > "$1"
                wait
                """);
        commands = new NotifyCommands(new NotifyConfig(List.of(), List.of(script.toString(), pidFile.toString()),
                List.of(), Duration.ofMillis(500)), "node-a");

        CompletableFuture<Optional<CommandResult>> future =
                commands.run(new RoleChange(Role.INIT, Role.STANDBY, "started"));
        assertThat(future).as("run() must not wait for the command").isNotDone();

        Optional<CommandResult> outcome = future.get(20, TimeUnit.SECONDS);
        assertThat(outcome).hasValueSatisfying(o -> {
            assertThat(o.status()).isEqualTo(CommandResult.Status.TIMED_OUT);
            assertThat(o.exitCode()).isEqualTo(-1);
            assertThat(o.firstLine()).isEqualTo("started");
        });
        long childPid = Long.parseLong(Files.readString(pidFile).trim());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                ProcessHandle.of(childPid).map(h -> !h.isAlive()).orElse(true));

        // The executor is free again for the next change.
        Optional<CommandResult> next = commands.run(TO_ACTIVE).get(10, TimeUnit.SECONDS);
        assertThat(next).as("no active command configured").isEmpty();
    }

    @Test
    void aCommandThatCannotStartIsReportedNotThrown() throws Exception {
        commands = new NotifyCommands(new NotifyConfig(List.of(), List.of(),
                List.of(dir.resolve("no-such-command").toString()), Duration.ofSeconds(5)), "node-a");
        Optional<CommandResult> outcome =
                commands.run(new RoleChange(Role.ACTIVE, Role.LEAVING, "graceful stop")).get(10, TimeUnit.SECONDS);
        assertThat(outcome).hasValueSatisfying(o -> {
            assertThat(o.status()).isEqualTo(CommandResult.Status.FAILED_TO_START);
            assertThat(o.output()).contains("no-such-command");
        });
    }

    private Path script(String name, String text) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
