package dev.leakwatch.analyzer.read;

import dev.leakwatch.analyzer.format.SnapshotFormat;

import static dev.leakwatch.analyzer.read.Fixtures.MINUTE;
import static dev.leakwatch.analyzer.read.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.model.ClassHistogram;
import dev.leakwatch.analyzer.model.HistogramKind;
import dev.leakwatch.analyzer.model.Snapshot;
import dev.leakwatch.analyzer.model.SnapshotSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnapshotDirectoryReaderTest {
    private static final long PID = 4123;
    private static final long JVM_START = T0 - 5 * MINUTE;
    private static final String TORN_WARNING =
            "segment snapshots-000001.jsonl.gz: last record truncated (the JVM probably stopped while writing it); skipped";

    @TempDir
    Path dir;

    private final SnapshotDirectoryReader reader = new SnapshotDirectoryReader();

    @Test
    void readsEverySegmentInIndexOrderAndGivesBackEachRecordAsWritten() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 10);
        Fixtures.writeGzipSegment(dir, 0, written.subList(0, 4));
        Fixtures.writePlainSegment(dir, 1, written.subList(4, 7).stream().map(Fixtures::line).collect(Collectors.toList()));
        Fixtures.writeGzipSegment(dir, 2, written.subList(7, 10));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(dir.toString(), series.source());
        assertEquals(10, series.recordsRead());
        assertEquals(0, series.skippedRecords());
        assertEquals(List.of(), series.warnings());
    }

    @Test
    void aSegmentLongerThanTheReadBufferIsReadWholeWithoutFalseAlarms() throws Exception {
        List<Snapshot> written = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            written.add(wide(i));
        }
        Path segment = Fixtures.writeGzipSegment(dir, 0, written);
        assertTrue(Files.size(segment) > 4 * 64 * 1024, "segment of " + Files.size(segment) + " bytes");

        SnapshotSeries series = new SnapshotDirectoryReader(1000).read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(List.of(), series.warnings());
        assertEquals(0, series.skippedRecords());
    }

    @Test
    void ordersSegmentsByTheirNumberNotByTheirName() throws Exception {
        // Six digits are a minimum: segment 1000000 sorts before 999999 by name but comes after it.
        Path later = Files.createFile(dir.resolve("snapshots-1000000.jsonl.gz"));
        Path earlier = Files.createFile(dir.resolve("snapshots-999999.jsonl.gz"));
        Files.createFile(dir.resolve("snapshots-1.jsonl.gz"));
        Files.createFile(dir.resolve("report.html"));
        Files.createDirectory(dir.resolve("snapshots-000005.jsonl"));

        assertEquals(List.of(earlier, later), SnapshotDirectoryReader.segmentFiles(Inputs.list(dir)));
    }

    /**
     * Cut points in the last member: inside its 10-byte header, just past it (GZIPInputStream stops quietly at both,
     * see SnapshotDirectoryReader.SegmentLines), and halfway through its compressed data.
     */
    @ParameterizedTest
    @ValueSource(strings = {"inside the header", "just past the header", "halfway"})
    void aTornLastMemberLosesOnlyItsRecordAndSaysSo(String where) throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 6);
        Fixtures.writeGzipSegment(dir, 0, written.subList(0, 3));
        byte[] torn = Fixtures.gzipMember(written.get(5));
        int cut = switch (where) {
            case "inside the header" -> 5;
            case "just past the header" -> 12;
            default -> torn.length / 2;
        };
        Files.write(dir.resolve("snapshots-000001.jsonl.gz"),
                Fixtures.concat(Fixtures.gzipSegment(written.subList(3, 5)), Arrays.copyOf(torn, cut)));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written.subList(0, 5), series.snapshots());
        assertEquals(1, series.skippedRecords());
        assertEquals(List.of(TORN_WARNING), series.warnings());
    }

    @Test
    void aMemberTornInItsTrailerStillHoldsTheWholeRecord() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 3);
        byte[] last = Fixtures.gzipMember(written.get(2));
        Files.write(dir.resolve("snapshots-000000.jsonl.gz"),
                Fixtures.concat(Fixtures.gzipSegment(written.subList(0, 2)), Arrays.copyOf(last, last.length - 4)));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(0, series.skippedRecords());
    }

    @Test
    void aSegmentWhoseOnlyMemberIsTornInItsHeaderCountsAsOneTruncatedRecord() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 3);
        Fixtures.writeGzipSegment(dir, 0, written.subList(0, 2));
        Files.write(dir.resolve("snapshots-000001.jsonl.gz"), Arrays.copyOf(Fixtures.gzipMember(written.get(2)), 6));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written.subList(0, 2), series.snapshots());
        assertEquals(1, series.skippedRecords());
        assertEquals(List.of(TORN_WARNING), series.warnings());
    }

    @Test
    void unreadableLinesInAPlainSegmentAreSkippedCountedAndTheFirstIsDescribed() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 3);
        Fixtures.writePlainSegment(dir, 0, List.of(
                Fixtures.line(written.get(0)),
                "garbage that is not JSON",
                Fixtures.line(written.get(1)),
                "",
                "{\"format\":\"something-else\"}",
                Fixtures.line(written.get(2))));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(2, series.skippedRecords());
        assertEquals(1, series.warnings().size(), series.warnings().toString());
        String warning = series.warnings().get(0);
        assertTrue(warning.startsWith("segment snapshots-000000.jsonl: 2 unreadable records skipped (first at line 2: "
                + "not a JSON record: "), warning);
        assertTrue(!warning.contains("line 5"), "only the first failure is described: " + warning);
    }

    @Test
    void aLastLineWithoutNewlineIsKeptWhenCompleteAndCountedAsTruncatedWhenNot() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 4);
        Files.writeString(dir.resolve("snapshots-000000.jsonl"),
                Fixtures.line(written.get(0)) + "\n" + Fixtures.line(written.get(1)));
        String third = Fixtures.line(written.get(3));
        Files.writeString(dir.resolve("snapshots-000001.jsonl"),
                Fixtures.line(written.get(2)) + "\n" + third.substring(0, third.length() / 2));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written.subList(0, 3), series.snapshots());
        assertEquals(1, series.skippedRecords());
        assertEquals(List.of("segment snapshots-000001.jsonl: last record truncated (the JVM probably stopped while "
                + "writing it); skipped"), series.warnings());
    }

    /**
     * Decision: a segment that is not gzip data is skipped with a warning, not an error, so one damaged file does not
     * hide the rest of a long recording; when nothing else is readable, the error names it.
     */
    @Test
    void aFileOfRandomBytesNamedLikeASegmentIsSkippedWithAWarning() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 4);
        Fixtures.writeGzipSegment(dir, 0, written.subList(0, 2));
        Files.write(dir.resolve("snapshots-000001.jsonl.gz"), randomBytes());
        Fixtures.writeGzipSegment(dir, 2, written.subList(2, 4));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(1, series.skippedRecords());
        assertEquals(List.of("segment snapshots-000001.jsonl.gz: not gzip data (Not in GZIP format); segment skipped"),
                series.warnings());
    }

    @Test
    void aDirectoryOfOnlyRandomBytesIsAnErrorThatSaysWhy() throws Exception {
        Files.write(dir.resolve("snapshots-000000.jsonl.gz"), randomBytes());

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertEquals(dir + ": no readable snapshot (1 record skipped: snapshots-000000.jsonl.gz: not gzip data "
                + "(Not in GZIP format); segment skipped)", error.getMessage());
    }

    @Test
    void recordsThatAllFailToDecodeAreAnErrorNamingTheFirstReason() throws Exception {
        Fixtures.writePlainSegment(dir, 0, List.of("{not json", "[1,2]", "{\"format\":\"leakwatch-snapshot\"}"));

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertTrue(error.getMessage().startsWith(dir + ": no readable snapshot (3 records skipped: "
                + "snapshots-000000.jsonl line 1: not a JSON record: "), error.getMessage());
        assertEquals(1, error.getMessage().lines().count());
    }

    @Test
    void aRecordOfANewerSchemaVersionIsAnErrorNotASkip() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 2);
        String newer = Fixtures.line(written.get(1)).replace("\"schemaVersion\":" + SnapshotFormat.CURRENT_VERSION + ",", "\"schemaVersion\":99,");
        assertTrue(newer.contains("\"schemaVersion\":99,"), "fixture must carry the newer version: " + newer);
        Fixtures.writeGzipSegment(dir, 0, written.subList(0, 1));
        Fixtures.writePlainSegment(dir, 1, List.of(newer));

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertEquals("snapshots-000001.jsonl: snapshot schemaVersion 99 is newer than this analyzer reads (" + SnapshotFormat.CURRENT_VERSION + "); "
                + "use a newer leakwatch analyzer", error.getMessage());
    }

    @Test
    void ofSeveralJvmsInOneDirectoryTheOneWithTheNewestSnapshotIsReadAndTheOthersNamed() throws Exception {
        List<Snapshot> older = Fixtures.run(100, T0 - MINUTE, T0, 5);
        List<Snapshot> newer = Fixtures.run(200, T0 + 59 * MINUTE, T0 + 60 * MINUTE, 3);
        // The newer run in the lower segment: the choice goes by time, not by file order.
        Fixtures.writeGzipSegment(dir, 0, newer);
        Fixtures.writeGzipSegment(dir, 1, older);

        SnapshotSeries series = reader.read(dir);

        assertEquals(newer, series.snapshots());
        assertEquals(3, series.recordsRead());
        assertEquals(List.of("the directory holds records of 2 JVM runs; analyzing the newest, pid 200 (3 snapshots, "
                + "2026-11-25T11:00:00Z to 2026-11-25T11:02:00Z); left out: pid 100 (5 snapshots, "
                + "2026-11-25T10:00:00Z to 2026-11-25T10:04:00Z)"), series.warnings());
    }

    @Test
    void twoStartsOfAJvmWithTheSamePidAreTwoRuns() throws Exception {
        // A container gives its JVM the same pid on every start.
        List<Snapshot> first = Fixtures.run(1, T0 - 60 * MINUTE, T0, 5);
        List<Snapshot> second = Fixtures.run(1, T0 + 10 * MINUTE, T0 + 11 * MINUTE, 3);
        Fixtures.writeGzipSegment(dir, 0, first);
        Fixtures.writeGzipSegment(dir, 1, second);

        SnapshotSeries series = reader.read(dir);

        assertEquals(second, series.snapshots());
        assertEquals(1, series.warnings().size());
        assertTrue(series.warnings().get(0).contains("left out: pid 1 (5 snapshots, 2026-11-25T10:00:00Z to "),
                series.warnings().get(0));
    }

    @Test
    void aJvmStartTimeThatWobblesByMillisecondsIsStillOneRun() throws Exception {
        List<Snapshot> written = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            written.add(Fixtures.snapshot(PID, JVM_START + (i % 2 == 0 ? 7 : -4), i, T0 + i * MINUTE));
        }
        Fixtures.writeGzipSegment(dir, 0, written);

        SnapshotSeries series = reader.read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(List.of(), series.warnings());
    }

    @Test
    void aLongRecordingIsThinnedButKeepsItsFirstAndLastSnapshot() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 50);
        Fixtures.writeGzipSegment(dir, 0, written.subList(0, 25));
        Fixtures.writeGzipSegment(dir, 1, written.subList(25, 50));

        SnapshotSeries series = new SnapshotDirectoryReader(8).read(dir);

        assertTrue(series.size() <= 8, "kept " + series.size());
        assertTrue(series.size() >= 4, "kept " + series.size());
        assertEquals(written.get(0), series.first());
        assertEquals(written.get(49), series.last());
        assertEquals(50, series.recordsRead());
        List<Long> times = series.snapshots().stream().map(Snapshot::epochMillis).collect(Collectors.toList());
        assertEquals(times.stream().sorted().collect(Collectors.toList()), times);
    }

    @Test
    void snapshotsAreOrderedByTimeThenSequenceWhateverTheirOrderInTheFile() throws Exception {
        Snapshot a = Fixtures.snapshot(PID, JVM_START, 0, T0);
        Snapshot b = Fixtures.snapshot(PID, JVM_START, 1, T0 + MINUTE);
        Snapshot c = Fixtures.snapshot(PID, JVM_START, 2, T0 + MINUTE);
        Fixtures.writePlainSegment(dir, 0, List.of(Fixtures.line(c), Fixtures.line(a), Fixtures.line(b)));

        assertEquals(List.of(a, b, c), reader.read(dir).snapshots());
    }

    @Test
    void emptySegmentFilesAreAnEmptySeriesNotAnError() throws Exception {
        Files.createFile(dir.resolve("snapshots-000000.jsonl.gz"));

        SnapshotSeries series = reader.read(dir);

        assertTrue(series.isEmpty());
        assertEquals(List.of("the segment files hold no snapshot yet"), series.warnings());
    }

    @Test
    void aDirectoryWithoutSegmentsIsAnError() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "hello");

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertTrue(error.getMessage().startsWith("no snapshots in " + dir + ": no snapshots-NNNNNN.jsonl.gz segment"),
                error.getMessage());
    }

    @Test
    void aWindowTooSmallIsRefusedAtOnce() {
        assertThrows(IllegalArgumentException.class, () -> new SnapshotDirectoryReader(3));
    }

    /** A snapshot with a histogram of a few hundred classes, whose counts vary so that they compress poorly. */
    private static Snapshot wide(int sequence) {
        Random random = new Random(sequence);
        String[] names = new String[300];
        long[] instances = new long[names.length];
        long[] bytes = new long[names.length];
        for (int row = 0; row < names.length; row++) {
            names[row] = "com.example.generated.Type" + row;
            instances[row] = random.nextInt(1_000_000);
            bytes[row] = instances[row] * 24;
        }
        return new Snapshot(sequence, T0 + sequence * MINUTE, sequence * MINUTE + 5_000, PID, "17.0.15+6", 20,
                new ClassHistogram(HistogramKind.LIVE, names, instances, bytes), Optional.empty());
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4096];
        new Random(42).nextBytes(bytes);
        bytes[0] = 'x'; // whatever the seed, never the gzip magic number
        return bytes;
    }
}
