package io.rollforward.proxy.cli;

/** Process exit codes, documented in the README. */
public final class ExitCodes {
    /** Success (or a clean stop on SIGTERM / Ctrl-C). */
    public static final int OK = 0;
    /** The config file is invalid or unreadable; every error was printed. */
    public static final int BAD_CONFIG = 1;
    /** Bad command line (picocli's usage error). */
    public static final int USAGE = 2;
    /** Could not start: a port could not be bound, a key file is unreadable, a capability is missing. */
    public static final int START_FAILED = 3;

    private ExitCodes() {
    }
}
