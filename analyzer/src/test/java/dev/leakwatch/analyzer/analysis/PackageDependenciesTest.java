package dev.leakwatch.analyzer.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The analysis flows one way: {@code analysis} runs the rules of {@code rule} over the table of {@code series}, the
 * rules fit trends with {@code trend} and fill the records of {@code report}. A package that used one above it would
 * make two packages that import each other (issue 12), so each package's sources may name only the packages below it.
 */
class PackageDependenciesTest {
    private static final Path SOURCES =
            Path.of(System.getProperty("basedir", "")).resolve("src/main/java/dev/leakwatch/analyzer");
    private static final Pattern REFERENCE =
            Pattern.compile("dev\\.leakwatch\\.analyzer\\.(analysis|fingerprint|fleet|rule|report|series|trend)\\b");

    /** For each package, the ones it may use among the analyzer's. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "analysis", Set.of("fingerprint", "rule", "report", "series", "trend"),
            "fingerprint", Set.of(),
            "fleet", Set.of(),
            "rule", Set.of("report", "series", "trend"),
            "series", Set.of(),
            "report", Set.of(),
            "trend", Set.of());

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Set<String>> entry : ALLOWED.entrySet()) {
            String from = entry.getKey();
            for (Path file : sources(from)) {
                Matcher reference = REFERENCE.matcher(Files.readString(file));
                Set<String> used = new TreeSet<>();
                while (reference.find()) {
                    used.add(reference.group(1));
                }
                used.remove(from);
                used.removeAll(entry.getValue());
                used.forEach(to -> violations.add(file.getFileName() + " (" + from + ") uses " + to));
            }
        }
        assertEquals(List.of(), violations);
    }

    private static List<Path> sources(String packageName) throws IOException {
        Path directory = SOURCES.resolve(packageName);
        assertTrue(Files.isDirectory(directory), "no sources at " + directory.toAbsolutePath());
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .sorted()
                    .toList();
        }
    }
}
