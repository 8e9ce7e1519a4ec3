package dev.leakwatch.agent.attach;

/**
 * Exit statuses of the attach client, one per kind of failure a script may want to tell apart. 0 to 4 mean what they
 * mean for {@code analyze} (the cli module's {@code ExitCode}); 10 and up are the attach client's own. README.md,
 * "Exit codes", is the one table of them all; {@code AttachCliTest} pins the numbers.
 */
public enum AttachExit {
    OK(0),
    /** An internal error, or a failure with no code of its own: the message says which. */
    FAILED(1),
    USAGE(2),
    /** {@code report PID}: the report's verdict is {@code leak-suspected}. */
    LEAK_SUSPECTED(3),
    /** {@code report PID}: the report's verdict is {@code not-enough-data}. */
    NOT_ENOUGH_DATA(4),
    NO_SUCH_PROCESS(10),
    NOT_A_JVM(11),
    ATTACH_DISABLED(12),
    OTHER_USER(13),
    JAVA_TOO_OLD(14),
    TARGET_ENDED(15),
    AGENT_JAR_MISSING(16),
    NOT_RECORDING(17);

    private final int code;

    AttachExit(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
