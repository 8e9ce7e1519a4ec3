package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
    @TempDir
    Path directory;

    @Test
    void writesANewFile() throws IOException {
        Path target = directory.resolve("leak-report.json");
        ReportFiles.writeTo(target, "{\"verdict\":\"no-leak-found\"}\n");
        assertEquals("{\"verdict\":\"no-leak-found\"}\n", Files.readString(target));
        assertEquals(List.of("leak-report.json"), names());
    }

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Path target = directory.resolve("leak-report.txt");
        Files.writeString(target, "an old, much longer report that must not survive in part\n".repeat(100));
        ReportFiles.writeTo(target, "new report ✓\n");
        assertEquals("new report ✓\n", Files.readString(target, StandardCharsets.UTF_8));
        assertEquals(List.of("leak-report.txt"), names());
    }

    @Test
    void aLeftoverTemporaryFileFromACrashDoesNotGetInTheWay() throws IOException {
        Path target = directory.resolve("leak-report.json");
        Files.writeString(
                directory.resolve(".leak-report.json.tmp"),
                "half a report from a crashed write, longer than the new one");
        ReportFiles.writeTo(target, "whole\n");
        assertEquals("whole\n", Files.readString(target));
        // Temporary names are unpredictable now, so a leftover is never in the way, and not ours to delete.
        assertEquals(List.of(".leak-report.json.tmp", "leak-report.json"), names());
    }

    @Test
    void aLinkIsNeitherReplacedNorWrittenThrough() throws IOException {
        Path victim = Files.writeString(directory.resolve("victim"), "precious");
        Path link = Files.createSymbolicLink(directory.resolve("link.json"), victim);

        IOException refused = assertThrows(IOException.class, () -> ReportFiles.writeTo(link, "report"));

        assertTrue(refused.getMessage().contains("is a symbolic link"), refused.getMessage());
        assertEquals("precious", Files.readString(victim));
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
    }

    @Test
    void aDeviceIsWrittenToNeverRenamedOver() throws IOException {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull), "no /dev/null here");

        ReportFiles.writeTo(devNull, "report");

        assertFalse(Files.isRegularFile(devNull), "/dev/null is still a device");
    }

    @Test
    void aPipeIsWrittenToAsAStream() throws Exception {
        Path fifo = directory.resolve("report.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here: " + e);
            return;
        }
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        ReportFiles.writeTo(fifo, "streamed report\n");

        assertEquals("streamed report\n", read.get(30, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo), "the pipe is still a pipe");
    }

    @Test
    void aReplacedReportIsOwnerOnly() throws IOException {
        Path target = directory.resolve("report.json");
        ReportFiles.writeTo(target, "{}");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }
}
