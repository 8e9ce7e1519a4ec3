package dev.leakwatch.cli;

import static dev.leakwatch.format.segment.Fixtures.MINUTE;
import static dev.leakwatch.format.segment.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.segment.Fixtures;
import dev.leakwatch.format.segment.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeriesReaderTest {
    private static final int MAX_POINTS = SeriesReader.DEFAULT_MAX_POINTS;

    @TempDir
    Path dir;

    @Test
    void aDirectoryOfSegmentsIsReadAsTheAgentsRecordingAndOtherFilesInItAreIgnored() throws Exception {
        List<Snapshot> written = Fixtures.run(4123, T0 - MINUTE, T0, 3);
        Fixtures.writeGzipSegment(dir, 0, written);
        Files.writeString(dir.resolve("report.txt"), "an earlier report, not a histogram");

        SnapshotSeries series = SeriesReader.read(dir, MAX_POINTS);

        assertEquals(written, series.snapshots());
        assertEquals(List.of(), series.warnings());
    }

    @Test
    void aDirectoryOfOtherFilesIsReadAsJcmdHistograms() throws Exception {
        Files.writeString(dir.resolve("1.txt"), "# time: 2026-11-25T10:00:00Z\n" + HistogramFilesReaderTest.FIRST);
        Files.writeString(dir.resolve("2.txt"), "# time: 2026-11-25T10:01:00Z\n" + HistogramFilesReaderTest.SECOND);

        SnapshotSeries series = SeriesReader.read(dir, MAX_POINTS);

        assertEquals(
                List.of(1600L, 3200L), HistogramFilesReaderTest.instancesOf(series, "com.example.Leaky$SessionEntry"));
    }

    @Test
    void aSingleSegmentFileIsReadAlone() throws Exception {
        List<Snapshot> written = Fixtures.run(4123, T0 - MINUTE, T0, 4);
        Fixtures.writeGzipSegment(dir, 0, written.subList(0, 2));
        Path second = Fixtures.writeGzipSegment(dir, 1, written.subList(2, 4));

        SnapshotSeries series = SeriesReader.read(second, MAX_POINTS);

        assertEquals(written.subList(2, 4), series.snapshots());
        assertEquals(second.toString(), series.source());
    }

    @Test
    void oneSnapshotIsNotAnErrorHere() throws Exception {
        Fixtures.writeGzipSegment(dir, 0, Fixtures.run(4123, T0 - MINUTE, T0, 1));

        assertEquals(1, SeriesReader.read(dir, MAX_POINTS).size());
    }

    @Test
    void anEmptyDirectorySaysWhatWasExpected() {
        InputException error = assertThrows(InputException.class, () -> SeriesReader.read(dir, MAX_POINTS));

        assertEquals(
                "no snapshots in " + dir + ": the directory is empty (expected snapshots-*.jsonl.gz written by "
                        + "the agent, or jcmd GC.class_histogram text files)",
                error.getMessage());
    }

    @Test
    void aDirectoryOfUnrelatedFilesNamesWhatItHolds() throws Exception {
        Files.writeString(dir.resolve("report.html"), "<html></html>");
        Files.writeString(dir.resolve(".DS_Store"), "");
        Files.createDirectory(dir.resolve("run-1"));

        InputException error = assertThrows(InputException.class, () -> SeriesReader.read(dir, MAX_POINTS));

        assertEquals(
                "no snapshots in " + dir + ": it holds neither snapshot segments nor histogram text files, only "
                        + ".DS_Store, report.html, run-1/ (expected snapshots-*.jsonl.gz written by the agent, or jcmd "
                        + "GC.class_histogram text files)",
                error.getMessage());
    }

    @Test
    void aPathThatDoesNotExistIsNamed() {
        Path missing = dir.resolve("no-such-recording");

        InputException error = assertThrows(InputException.class, () -> SeriesReader.read(missing, MAX_POINTS));

        assertEquals(missing + " does not exist", error.getMessage());
    }

    @Test
    void aSingleFileThatIsNoSegmentIsRefusedWithAHint() throws Exception {
        Path file = Files.writeString(dir.resolve("histo.txt"), HistogramFilesReaderTest.FIRST);

        InputException error = assertThrows(InputException.class, () -> SeriesReader.read(file, MAX_POINTS));

        assertEquals(
                file + " is not a snapshot segment (snapshots-NNNNNN.jsonl.gz); pass the agent's output "
                        + "directory, or for jcmd histograms the directory holding one text file per point in time",
                error.getMessage());
    }

    @Test
    void errorsOfTheReadersComeThroughUnchanged() throws Exception {
        Fixtures.writePlainSegment(
                dir,
                0,
                List.of(Fixtures.line(Fixtures.snapshot(1, T0 - MINUTE, 0, T0))
                        .replace(
                                "\"schemaVersion\":" + SnapshotFormat.CURRENT_VERSION + ",", "\"schemaVersion\":99,")));

        InputException error = assertThrows(InputException.class, () -> SeriesReader.read(dir, MAX_POINTS));

        assertEquals(
                "snapshots-000000.jsonl: snapshot schemaVersion 99 is newer than this analyzer reads ("
                        + SnapshotFormat.CURRENT_VERSION + "); " + "use a newer leakwatch analyzer",
                error.getMessage());
        assertFalse(error.getMessage().contains("\n"));
    }

    @Test
    void tooSmallAWindowIsAProgrammingErrorNotAnInputError() throws Exception {
        Fixtures.writeGzipSegment(dir, 0, Fixtures.run(4123, T0 - MINUTE, T0, 1));

        assertThrows(IllegalArgumentException.class, () -> SeriesReader.read(dir, 2));
    }
}
