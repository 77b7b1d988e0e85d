package io.rollforward.config;

import java.time.Duration;
import java.util.List;

/**
 * How a replica that was DOWN comes back.
 *
 * <ul>
 *   <li>{@code immediate}: as soon as its health sources say UP (stateless content);</li>
 *   <li>{@code manual}: stays out until {@code POST /replicas/{name}/rejoin} on the admin port;</li>
 *   <li>{@code hook}: runs {@code command} (e.g. a resync script) and rejoins when it exits 0
 *       within {@code timeout}.</li>
 * </ul>
 * A stateful application missed the writes made while the replica was out, so it wants
 * {@code manual} or {@code hook}. Default: immediate.
 */
public record RejoinConfig(Policy policy, List<String> command, Duration timeout) {
    public enum Policy { IMMEDIATE, MANUAL, HOOK }

    public static final RejoinConfig IMMEDIATE = new RejoinConfig(Policy.IMMEDIATE, List.of(), Duration.ofSeconds(60));

    public RejoinConfig {
        command = command == null ? List.of() : List.copyOf(command);
    }
}
