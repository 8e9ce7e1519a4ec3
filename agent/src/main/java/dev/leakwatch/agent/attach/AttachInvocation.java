package dev.leakwatch.agent.attach;

import dev.leakwatch.format.LeakwatchVersion;

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

    /** {@code leakwatch VERSION}: the build's version, the one every report names ({@link LeakwatchVersion}). */
    static String version() {
        return "leakwatch " + LeakwatchVersion.current();
    }
}
