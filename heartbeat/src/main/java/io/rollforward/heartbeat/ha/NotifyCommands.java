package io.rollforward.heartbeat.ha;

import io.rollforward.config.NotifyConfig;
import io.rollforward.process.Command;
import io.rollforward.process.CommandResult;
import io.rollforward.process.CommandRunner;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks and starts the operator's command for a role change, like keepalived's
 * {@code notify_master}, {@code notify_backup} and {@code notify_stop}: {@code
 * notifications.active} when this node becomes ACTIVE, {@code standby} when it becomes STANDBY,
 * {@code leaving} when it stops.
 *
 * <p>Commands run one at a time, in the order of the role changes, on a {@link CommandRunner}
 * thread (never the caller's: the state machine runs on an event loop). Each gets the environment
 * {@code ROLLFORWARD_ROLE}, {@code ROLLFORWARD_PREVIOUS_ROLE}, {@code ROLLFORWARD_NODE} and
 * {@code ROLLFORWARD_REASON}, stdin at end of file, and is killed with its children after
 * {@code notifications.timeout} so a hung script cannot hold up the next one. Exit code and first
 * output line are logged.
 */
public final class NotifyCommands implements RoleChange.Listener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NotifyCommands.class);

    private final NotifyConfig config;
    private final String node;
    private final CommandRunner runner = CommandRunner.sequential("notify-commands");

    public NotifyCommands(NotifyConfig config, String node) {
        this.config = Objects.requireNonNull(config, "config");
        this.node = Objects.requireNonNull(node, "node");
    }

    /** Starts the command for this change, if one is configured, and returns at once. */
    @Override
    public void onRoleChange(RoleChange change) {
        run(change);
    }

    /**
     * Starts the command for this change, if one is configured, and returns at once. The future
     * completes with its result, or empty when no command is configured for the new role.
     */
    public CompletableFuture<Optional<CommandResult>> run(RoleChange change) {
        List<String> argv = switch (change.to()) {
            case ACTIVE -> config.active();
            case STANDBY -> config.standby();
            case LEAVING -> config.leaving();
            case INIT -> List.of();
        };
        if (argv.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Command command = Command.of(config.timeout(), argv)
                .withEnv("ROLLFORWARD_ROLE", change.to().name())
                .withEnv("ROLLFORWARD_PREVIOUS_ROLE", change.from().name())
                .withEnv("ROLLFORWARD_NODE", node)
                .withEnv("ROLLFORWARD_REASON", change.reason());
        return runner.start(command).thenApply(result -> {
            report(result, change);
            return Optional.of(result);
        });
    }

    /** Stops taking commands; a running command is killed. */
    @Override
    public void close() {
        runner.close();
    }

    private static void report(CommandResult result, RoleChange change) {
        if (result.ok()) {
            log.info("notify command for {} -> {}: {}", change.from(), change.to(), result.describe());
        } else {
            log.warn("notify command for {} -> {}: {}", change.from(), change.to(), result.describe());
        }
    }
}
