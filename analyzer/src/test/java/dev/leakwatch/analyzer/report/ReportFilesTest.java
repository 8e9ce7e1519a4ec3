package dev.leakwatch.analyzer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    @TempDir
    Path directory;

    @Test
    void writesANewFile() throws IOException {
        Path target = directory.resolve("leak-report.json");
        ReportFiles.writeAtomically(target, "{\"verdict\":\"no-leak-found\"}\n");
        assertEquals("{\"verdict\":\"no-leak-found\"}\n", Files.readString(target));
        assertEquals(List.of("leak-report.json"), names());
    }

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = directory.resolve("leak-report.txt");
        Files.writeString(target, "an old, much longer report that must not survive in part\n".repeat(100));
        ReportFiles.writeAtomically(target, "new report ✓\n");
        assertEquals("new report ✓\n", Files.readString(target, StandardCharsets.UTF_8));
        assertEquals(List.of("leak-report.txt"), names());
    }

    @Test
    void aLeftoverTemporaryFileFromACrashDoesNotGetInTheWay() throws IOException {
        Path target = directory.resolve("leak-report.json");
        Files.writeString(directory.resolve(".leak-report.json.tmp"), "half a report from a crashed write, longer than the new one");
        ReportFiles.writeAtomically(target, "whole\n");
        assertEquals("whole\n", Files.readString(target));
        assertEquals(List.of("leak-report.json"), names());
    }

    private List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }
}
