package dev.leakwatch.agent.attach;

/**
 * How the user ran the client, for the hints in its messages: the launcher sets {@value #COMMAND_PROPERTY} to the name
 * it was typed as, so that a hint says {@code leakwatch list}; with {@code java -jar} it says that instead.
 */
final class AttachInvocation {
    static final String COMMAND_PROPERTY = "leakwatch.command";
    static final String JAR_COMMAND = "java -jar leakwatch-agent.jar";

    private AttachInvocation() {}

    /** What the user types to run the client, e.g. {@code ./leakwatch} or {@code java -jar leakwatch-agent.jar}. */
    static String program() {
        String launcher = System.getProperty(COMMAND_PROPERTY);
        return launcher == null || launcher.isBlank() ? JAR_COMMAND : launcher;
    }

    /** {@code leakwatch VERSION}, from the agent jar's manifest ({@code Implementation-Version}, the Maven version). */
    static String version() {
        String version = AttachInvocation.class.getPackage().getImplementationVersion();
        return "leakwatch " + (version == null ? "(version unknown: not run from a leakwatch jar)" : version);
    }
}
