package dev.leakwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two of the agent's packages depend on each other, directly or through others: a cycle is two jobs that cannot be
 * understood or changed apart (issue 12 found {@code control} and {@code session} importing each other).
 */
class PackageCyclesTest {
    private static final Path SOURCES =
            Path.of(System.getProperty("basedir", "")).resolve("src/main/java/dev/leakwatch/agent");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.leakwatch\\.agent\\.([a-z]+)\\.[A-Z]");

    @Test
    void noPackageReachesItselfThroughItsDependencies() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String from : uses.keySet()) {
            if (reachable(uses, from).contains(from)) {
                cycles.add(from + " -> " + uses.get(from));
            }
        }
        assertEquals(List.of(), cycles);
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = SOURCES.relativize(file.getParent()).toString();
                Set<String> used = uses.computeIfAbsent(from.isEmpty() ? "(entry)" : from, k -> new TreeSet<>());
                Matcher reference = REFERENCE.matcher(Files.readString(file));
                while (reference.find()) {
                    if (!reference.group(1).equals(from)) {
                        used.add(reference.group(1));
                    }
                }
            }
        }
        return uses;
    }

    private static Set<String> reachable(Map<String, Set<String>> uses, String start) {
        Set<String> seen = new HashSet<>();
        Deque<String> next = new ArrayDeque<>(uses.getOrDefault(start, Set.of()));
        while (!next.isEmpty()) {
            String current = next.pop();
            if (seen.add(current)) {
                next.addAll(uses.getOrDefault(current, Set.of()));
            }
        }
        return seen;
    }
}
