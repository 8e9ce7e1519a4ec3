package dev.leakwatch.agent.attach;

/** Exit statuses of the attach client, one per kind of failure a script may want to tell apart. */
public enum AttachExit {
    OK(0),
    FAILED(1),
    USAGE(2),
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
