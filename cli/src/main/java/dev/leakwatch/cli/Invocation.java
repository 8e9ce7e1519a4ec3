package dev.leakwatch.cli;

import dev.leakwatch.format.LeakwatchVersion;

/**
 * How the user ran us, for the hints in our messages: the launcher sets {@value #COMMAND_PROPERTY} to the name it was
 * typed as, so that a hint says {@code leakwatch analyze --help}; with {@code java -jar} it says that instead.
 */
final class Invocation {
    static final String COMMAND_PROPERTY = "leakwatch.command";
    static final String JAR_COMMAND = "java -jar leakwatch-analyzer.jar";

    private Invocation() {}

    /** What the user types to run us, e.g. {@code ./leakwatch} or {@code java -jar leakwatch-analyzer.jar}. */
    static String program() {
        String launcher = System.getProperty(COMMAND_PROPERTY);
        return launcher == null || launcher.isBlank() ? JAR_COMMAND : launcher;
    }

    /** {@code leakwatch VERSION}: the build's version, the one every report names ({@link LeakwatchVersion}). */
    static String version() {
        return "leakwatch " + LeakwatchVersion.current();
    }
}
