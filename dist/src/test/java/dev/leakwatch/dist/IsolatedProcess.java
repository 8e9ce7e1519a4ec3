package dev.leakwatch.dist;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A command run as on a machine that has only what {@code path} offers: no {@code JAVA_HOME}, no options injected
 * into Java or Maven from the environment. Output and errors together, kept in a file beside {@code dir}.
 */
record IsolatedProcess(int exitCode, String output) {

    static IsolatedProcess run(Path dir, String path, long timeoutSeconds, String... command) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().put("PATH", path);
        builder.environment().remove("JAVA_HOME");
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        builder.environment().remove("MAVEN_OPTS");
        Path log = Files.createTempFile(dir.getParent(), "run", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within " + timeoutSeconds + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new IsolatedProcess(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
