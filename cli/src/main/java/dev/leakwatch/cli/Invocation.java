package dev.leakwatch.cli;

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

    /**
     * {@code leakwatch VERSION}, the version from the jar's manifest ({@code Implementation-Version}, the Maven
     * project's version); classes run from a build directory have none.
     */
    static String version() {
        String version = Invocation.class.getPackage().getImplementationVersion();
        return "leakwatch " + (version == null ? "(version unknown: not run from a leakwatch jar)" : version);
    }
}
