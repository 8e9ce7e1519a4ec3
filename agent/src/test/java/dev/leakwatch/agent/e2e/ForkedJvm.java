package dev.leakwatch.agent.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A JVM forked for an end-to-end test: a sample program, optionally under the agent, its output captured in
 * files so a test can wait for lines to appear.
 */
final class ForkedJvm implements AutoCloseable {
    static final Path AGENT_JAR = Path.of(required("leakwatch.agentJar"));
    static final Path SAMPLES_JAR = Path.of(required("leakwatch.samplesJar"));
    static final Path DEFAULT_JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long startNanos;

    private ForkedJvm(Process process, Path stdout, Path stderr, long startNanos) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.startNanos = startNanos;
    }

    /**
     * @param agentArguments null to run without the agent
     */
    static ForkedJvm startSample(
            Path java,
            Path workDir,
            String agentArguments,
            List<String> jvmArguments,
            String sample,
            String... sampleArguments) {
        List<String> command = jvmCommand(java, agentArguments, jvmArguments);
        command.add("-jar");
        command.add(SAMPLES_JAR.toString());
        command.add(sample);
        command.addAll(List.of(sampleArguments));
        return start(workDir, command);
    }

    /**
     * Runs a program of the samples jar that is not a catalogued sample, by its main class.
     *
     * @param agentArguments null to run without the agent
     */
    static ForkedJvm startMain(
            Path java,
            Path workDir,
            String agentArguments,
            List<String> jvmArguments,
            String mainClass,
            String... arguments) {
        List<String> command = jvmCommand(java, agentArguments, jvmArguments);
        command.add("-cp");
        command.add(SAMPLES_JAR.toString());
        command.add(mainClass);
        command.addAll(List.of(arguments));
        return start(workDir, command);
    }

    /** {@code jvmArguments} come after the default {@code -Xmx256m}, so an {@code -Xmx} among them wins. */
    private static List<String> jvmCommand(Path java, String agentArguments, List<String> jvmArguments) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-Xmx256m");
        command.addAll(jvmArguments);
        if (agentArguments != null) {
            command.add("-javaagent:" + AGENT_JAR + (agentArguments.isEmpty() ? "" : "=" + agentArguments));
        }
        return command;
    }

    private static ForkedJvm start(Path workDir, List<String> command) {
        try {
            Files.createDirectories(workDir);
            Path out = workDir.resolve("stdout.txt");
            Path err = workDir.resolve("stderr.txt");
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            return new ForkedJvm(process, out, err, System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    double secondsSinceStart() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Waits for a normal exit and returns its status. */
    int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("JVM did not exit within " + seconds + " s; stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** SIGTERM and wait for the exit: shutdown hooks run, as when a service is stopped. */
    void terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("JVM did not exit within 30 s of SIGTERM; stderr:\n" + stderr());
        }
    }

    /** SIGKILL: no shutdown hook runs, like a crash or an OOM killer. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalStateException("system property " + property + " is not set: run the end-to-end tests with"
                    + " 'mvn verify' (Failsafe sets it)");
        }
        return value;
    }
}
