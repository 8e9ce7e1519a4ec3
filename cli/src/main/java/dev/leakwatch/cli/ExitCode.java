package dev.leakwatch.cli;

/** The CLI's exit statuses: a CI pipeline fails a build on {@link #LEAK_FOUND}. */
public final class ExitCode {
    public static final int NO_LEAK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int BAD_INPUT = 2;
    public static final int LEAK_FOUND = 3;

    private ExitCode() {}
}
