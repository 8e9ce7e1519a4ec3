package dev.leakwatch.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the Java 25 JDK that the Java 25 tests fork is installed, found at test time so that no POM or test names a
 * machine's install directory (issue 12). In order: the system property {@value #PROPERTY} when it is set and not
 * blank (the agent POM passes it through, empty by default); else the first directory, sorted by name, under
 * {@code /usr/lib/jvm}, or beside {@code $JAVA_HOME} or this JVM's {@code java.home}, whose {@code release} file says
 * {@code JAVA_VERSION="25...}; else none, and {@link #require()} skips the test.
 */
public final class Java25Home {
    public static final String PROPERTY = "leakwatch.java25Home";
    private static final String RELEASE_LINE = "JAVA_VERSION=\"25";

    private Java25Home() {}

    /** The JDK's home directory, or the test is skipped (not failed) with how to name one. */
    public static Path require() {
        return find().orElseGet(() -> {
            Assumptions.abort("no Java 25 JDK found; set -D" + PROPERTY + "=...");
            throw new AssertionError("unreachable: abort throws");
        });
    }

    /** Its {@code bin/java}, or the test is skipped. */
    public static Path requireJava() {
        return require().resolve("bin").resolve("java");
    }

    /** The JDK's home directory; a property naming a directory without {@code bin/java} is a mistake, not a skip. */
    public static Optional<Path> find() {
        String configured = System.getProperty(PROPERTY, "");
        if (!configured.isBlank()) {
            Path home = Path.of(configured);
            if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
                throw new IllegalStateException("-D" + PROPERTY + "=" + configured + " has no bin/java");
            }
            return Optional.of(home);
        }
        List<Path> parents = new ArrayList<>();
        parents.add(Path.of("/usr/lib/jvm"));
        String javaHome = System.getenv("JAVA_HOME");
        if (javaHome != null && !javaHome.isBlank()) {
            parents.add(Path.of(javaHome).toAbsolutePath().getParent());
        }
        parents.add(Path.of(System.getProperty("java.home")).toAbsolutePath().getParent());
        return parents.stream()
                .filter(parent -> parent != null && Files.isDirectory(parent))
                .flatMap(Java25Home::children)
                .filter(Java25Home::isJava25)
                .findFirst();
    }

    private static Stream<Path> children(Path parent) {
        try (Stream<Path> children = Files.list(parent)) {
            return children.sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isJava25(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)
                || !Files.isExecutable(home.resolve("bin").resolve("java"))) {
            return false;
        }
        try (Stream<String> lines = Files.lines(release)) {
            return lines.anyMatch(line -> line.startsWith(RELEASE_LINE + "\"") || line.startsWith(RELEASE_LINE + "."));
        } catch (IOException | UncheckedIOException e) {
            return false; // an unreadable release file is not a JDK we can use
        }
    }
}
