package dev.leakwatch.cli;

/**
 * The exit statuses, the same for every leakwatch command (README.md, "Exit codes"): a CI pipeline fails a build on
 * {@link #LEAK_FOUND}. The attach client's {@code AttachExit} uses the same numbers for the ones both have.
 */
public final class ExitCode {
    public static final int NO_LEAK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int BAD_INPUT = 2;
    public static final int LEAK_FOUND = 3;
    /** The report's verdict is {@code not-enough-data}: the recording is too short for a trend, so no verdict. */
    public static final int NOT_ENOUGH_DATA = 4;

    private ExitCode() {}
}
