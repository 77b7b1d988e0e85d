/**
 * The one way Rollforward runs an external command: {@code ip} and {@code arping} for the VIP
 * ({@code fake}), the operator's role-change notify commands ({@code heartbeat}), a replica's
 * rejoin hook ({@code proxy}).
 *
 * <p>{@link io.rollforward.process.CommandRunner} runs a {@link io.rollforward.process.Command}
 * on a thread of its own (never an event loop), bounds its time, kills the whole process tree
 * when the time is up, and reports a {@link io.rollforward.process.CommandResult}: how it ended,
 * its exit code, and at most a few KiB of its output. Any module may call it; it depends on
 * nothing but SLF4J.
 */
package io.rollforward.process;
