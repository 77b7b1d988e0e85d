package io.rollforward.process;

import java.time.Duration;

/**
 * How one {@link Command} ended.
 *
 * @param command   what was run
 * @param status    how it ended
 * @param exitCode  its exit code when {@link Status#EXITED}, otherwise -1
 * @param output    stdout and stderr merged, at most {@link Command#outputLimit()} characters,
 *                  trimmed; for {@link Status#FAILED_TO_START} the reason
 * @param truncated whether the command printed more than {@code output} holds
 * @param pid       the process id, -1 when it did not start
 * @param elapsed   from start to the end (or to the kill)
 */
public record CommandResult(Command command, Status status, int exitCode, String output, boolean truncated,
                            long pid, Duration elapsed) {

    /** How a command ended. */
    public enum Status {
        /** It exited by itself; {@link #exitCode()} says how. */
        EXITED,
        /** It ran past its timeout; it and every process it started were killed. */
        TIMED_OUT,
        /**
         * The wait was interrupted (the runner closed, or the caller's thread interrupted); it and
         * every process it started were killed.
         */
        CANCELLED,
        /** It never ran: no such program, not executable, or the runner was closed. */
        FAILED_TO_START
    }

    /** Whether it exited 0. */
    public boolean ok() {
        return status == Status.EXITED && exitCode == 0;
    }

    /** The first line of {@link #output()}. */
    public String firstLine() {
        int end = output.indexOf('\n');
        return end < 0 ? output : output.substring(0, end);
    }

    /** One line for a log or an exception: {@code 'ip addr add ...': exit 2: RTNETLINK answers: ...}. */
    public String describe() {
        String how = switch (status) {
            case EXITED -> "exit " + exitCode;
            case TIMED_OUT -> "killed after its timeout " + command.timeout();
            case CANCELLED -> "killed: cancelled";
            case FAILED_TO_START -> "could not start";
        };
        return "'" + command.display() + "': " + how + (output.isEmpty() ? "" : ": " + firstLine()
                + (truncated || output.contains("\n") ? " ..." : ""));
    }
}
