package dev.leakwatch.agent.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The attach client as a user runs it, {@code java -jar leakwatch-agent.jar COMMAND ...}, in its own process: its
 * exit status, stdout and stderr, within a bounded time.
 */
final class AttachCommand {
    /**
     * {@code list} attaches to every JVM on the machine, and the attach API waits up to 10 s for one that does not
     * answer (a JVM that is exiting, for example), so a few slow JVMs around must not fail a test.
     */
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private AttachCommand() {}

    static Result run(String... arguments) {
        return run(List.of(), arguments);
    }

    /** @param clientJvmArguments options for the client's own JVM, such as {@code -Dleakwatch.agentJar=...} */
    static Result run(List<String> clientJvmArguments, String... arguments) {
        return runWithin(TIMEOUT, clientJvmArguments, arguments);
    }

    /** As {@link #run(List, String...)}, for a command that may take longer than {@link #TIMEOUT} (a wait). */
    static Result runWithin(Duration timeout, List<String> clientJvmArguments, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(ForkedJvm.DEFAULT_JAVA.toString());
        command.addAll(clientJvmArguments);
        command.add("-jar");
        command.add(ForkedJvm.AGENT_JAR.toString());
        command.addAll(List.of(arguments));
        Path out = null;
        Path err = null;
        Process process = null;
        try {
            // Files rather than pipes: nothing to drain while waiting, whatever the client prints.
            out = Files.createTempFile("leakwatch-client", ".out");
            err = Files.createTempFile("leakwatch-client", ".err");
            process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s\nstdout:\n" + read(out) + "\nstderr:\n" + read(err));
            }
            return new Result(command, process.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while running " + command, e);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            delete(out);
            delete(err);
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void delete(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a leftover temp file does not change the outcome
        }
    }

    record Result(List<String> command, int exit, String stdout, String stderr) {
        List<String> stderrLines() {
            return stderr.lines().toList();
        }

        /** Everything about the run, for assertion messages. */
        String describe() {
            return String.join(" ", command) + "\nexit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }

        /**
         * The LEAKWATCH column of {@code list} for {@code pid}: {@code recording} or {@code -}; empty when the pid is
         * not listed.
         */
        Optional<String> leakwatchColumnOf(long pid) {
            // PID UPTIME LEAKWATCH MAIN...: the first three columns never contain blanks.
            return stdout.lines()
                    .map(line -> line.trim().split("\\s+"))
                    .filter(columns -> columns.length >= 3 && columns[0].equals(String.valueOf(pid)))
                    .map(columns -> columns[2])
                    .findFirst();
        }
    }
}
