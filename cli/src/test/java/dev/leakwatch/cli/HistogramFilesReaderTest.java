package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.segment.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramFilesReaderTest {
    // Taken from `jcmd 7242 GC.class_histogram` of a small leaking program on OpenJDK 17.0.15, 3 s apart, cut to the
    // first rows (the Total line adds up the rows kept). Classes on the class path have no module column.
    static final String FIRST = """
            7242:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         10488         502184  [B (java.base@17.0.15)
               2:          8801         211224  java.lang.String (java.base@17.0.15)
               3:          1434         176736  java.lang.Class (java.base@17.0.15)
               4:          1016         101840  [Ljava.lang.Object; (java.base@17.0.15)
               5:          1600          38400  com.example.Leaky$SessionEntry
               6:           470          33840  [I (java.base@17.0.15)
               7:          1046          33472  java.util.concurrent.ConcurrentHashMap$Node (java.base@17.0.15)
               8:             7          33032  [C (java.base@17.0.15)
               9:           995          31840  java.util.HashMap$Node (java.base@17.0.15)
              10:           257          23696  [Ljava.util.HashMap$Node; (java.base@17.0.15)
              11:            21          23120  [Ljava.util.concurrent.ConcurrentHashMap$Node; (java.base@17.0.15)
              12:           259          12432  java.util.HashMap (java.base@17.0.15)
            Total         26394        1221816
            """;
    static final String SECOND = """
            7242:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         13688         668584  [B (java.base@17.0.15)
               2:         10401         249624  java.lang.String (java.base@17.0.15)
               3:          1434         176736  java.lang.Class (java.base@17.0.15)
               4:          1016         111088  [Ljava.lang.Object; (java.base@17.0.15)
               5:          3200          76800  com.example.Leaky$SessionEntry
               6:           470          33840  [I (java.base@17.0.15)
               7:          1046          33472  java.util.concurrent.ConcurrentHashMap$Node (java.base@17.0.15)
               8:             7          33032  [C (java.base@17.0.15)
               9:           995          31840  java.util.HashMap$Node (java.base@17.0.15)
              10:           257          23696  [Ljava.util.HashMap$Node; (java.base@17.0.15)
              11:            21          23120  [Ljava.util.concurrent.ConcurrentHashMap$Node; (java.base@17.0.15)
              12:           259          12432  java.util.HashMap (java.base@17.0.15)
            Total         32794        1474264
            """;
    static final String THIRD = """
            7242:
             num     #instances         #bytes  class name (module)
            -------------------------------------------------------
               1:         16888         834984  [B (java.base@17.0.15)
               2:         12001         288024  java.lang.String (java.base@17.0.15)
               3:          1434         176736  java.lang.Class (java.base@17.0.15)
               4:          1016         119416  [Ljava.lang.Object; (java.base@17.0.15)
               5:          4800         115200  com.example.Leaky$SessionEntry
               6:           470          33840  [I (java.base@17.0.15)
               7:          1046          33472  java.util.concurrent.ConcurrentHashMap$Node (java.base@17.0.15)
               8:             7          33032  [C (java.base@17.0.15)
               9:           995          31840  java.util.HashMap$Node (java.base@17.0.15)
              10:           257          23696  [Ljava.util.HashMap$Node; (java.base@17.0.15)
              11:            21          23120  [Ljava.util.concurrent.ConcurrentHashMap$Node; (java.base@17.0.15)
              12:           259          12432  java.util.HashMap (java.base@17.0.15)
            Total         39194        1725792
            """;
    private static final String LEAK = "com.example.Leaky$SessionEntry";

    @TempDir
    Path dir;

    private final HistogramFilesReader reader = new HistogramFilesReader();

    @Test
    void readsJcmdHistogramsInTheOrderOfTheirTimeLines() throws Exception {
        // Names sort against time, so the order must come from the time lines.
        write("c.txt", "# time: 2026-11-25T10:15:30Z\n" + FIRST);
        write("b.txt", "# time: 2026-11-25T11:15:33+01:00\n" + SECOND);
        write("a.txt", "# epochMillis: " + Instant.parse("2026-11-25T10:15:36Z").toEpochMilli() + "\n" + THIRD);

        SnapshotSeries series = reader.read(dir);

        assertEquals(dir.toString(), series.source());
        assertEquals(List.of(), series.warnings());
        assertEquals(3, series.recordsRead());
        assertEquals(0, series.skippedRecords());
        assertEquals(List.of(1600L, 3200L, 4800L), instancesOf(series, LEAK));
        assertEquals(
                List.of(
                        instant("2026-11-25T10:15:30Z"),
                        instant("2026-11-25T10:15:33Z"),
                        instant("2026-11-25T10:15:36Z")),
                times(series));
        for (int i = 0; i < 3; i++) {
            Snapshot snapshot = series.snapshots().get(i);
            assertEquals(i, snapshot.sequence());
            assertEquals(7242, snapshot.pid());
            assertEquals("17.0.15", snapshot.jvmVersion());
            assertEquals(-1, snapshot.uptimeMillis());
            assertEquals(0, snapshot.durationMillis());
            assertEquals(HistogramKind.LIVE, snapshot.histogram().kind());
            assertTrue(snapshot.gauges().isEmpty());
            assertEquals(12, snapshot.histogram().size());
        }
        assertEquals("byte[]", series.first().histogram().className(0));
    }

    @Test
    void withoutTimeLinesTheLastModifiedTimeOrdersTheFilesAndAWarningSaysSo() throws Exception {
        setModified(write("histo-1.txt", THIRD), "2026-11-25T10:20:00Z");
        setModified(write("histo-2.txt", FIRST), "2026-11-25T10:00:00Z");
        setModified(write("histo-3.histo", SECOND), "2026-11-25T10:10:00Z");

        SnapshotSeries series = reader.read(dir);

        assertEquals(List.of(1600L, 3200L, 4800L), instancesOf(series, LEAK));
        assertEquals(instant("2026-11-25T10:00:00Z"), series.first().epochMillis());
        assertEquals(
                List.of("the time of 3 of 3 histogram files is their last-modified time (no '# time:' line)"),
                series.warnings());
    }

    @Test
    void filesSharingALastModifiedTimeAreFlaggedAsLikelyCopies() throws Exception {
        setModified(write("1.txt", FIRST), "2026-11-25T10:00:00Z");
        setModified(write("2.txt", SECOND), "2026-11-25T10:00:00Z");
        write("3.txt", "# time: 2026-11-25T10:30:00Z\n" + THIRD);

        SnapshotSeries series = reader.read(dir);

        assertEquals(
                List.of("the time of 2 of 3 histogram files is their last-modified time (no '# time:' line); "
                        + "2 of them share a last-modified time with another file, as copies do: add '# time:' lines for a "
                        + "true time axis"),
                series.warnings());
    }

    @Test
    void theKindIsLiveUnlessAHeaderLineSaysAll() throws Exception {
        write("1.txt", "# time: 2026-11-25T10:00:00Z\n# kind: all\n" + FIRST);
        write("2.txt", "# time: 2026-11-25T10:01:00Z\n# jcmd 7242 GC.class_histogram -all\n" + SECOND);
        write("3.txt", "# time: 2026-11-25T10:02:00Z\n# KIND: all-after-gc\n" + THIRD);
        write("4.txt", "# time: 2026-11-25T10:03:00Z\n# note: histogram-allocations\n" + THIRD);

        List<HistogramKind> kinds = reader.read(dir).snapshots().stream()
                .map(snapshot -> snapshot.histogram().kind())
                .collect(Collectors.toList());

        assertEquals(
                List.of(HistogramKind.ALL, HistogramKind.ALL, HistogramKind.ALL_AFTER_GC, HistogramKind.LIVE), kinds);
    }

    @Test
    void jmapOutputHasNoPidLineAndNoModuleColumnSoBothStayUnknown() throws Exception {
        String jmap = """
                 num     #instances         #bytes  class name
                ----------------------------------------------
                   1:          4231         340576  [C
                   2:          1540          49280  java.lang.String
                   3:           320          10240  com.example.Leaky$SessionEntry
                Total          6091         400096
                """;
        write("jmap.txt", "# time: 2026-11-25T10:00:00Z\n" + jmap);

        Snapshot snapshot = reader.read(dir).first();

        assertEquals(-1, snapshot.pid());
        assertEquals("", snapshot.jvmVersion());
        assertEquals("char[]", snapshot.histogram().className(0));
    }

    @Test
    void aFileWithoutHistogramRowsIsAnErrorNamingIt() throws Exception {
        write("1.txt", "# time: 2026-11-25T10:00:00Z\n" + FIRST);
        Path broken =
                write("2.txt", "7242:\ncom.sun.tools.attach.AttachNotSupportedException: Unable to open socket file\n");

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertTrue(error.getMessage().startsWith(broken + ": no class histogram rows found"), error.getMessage());
    }

    /** Issue 11: a count of 2^63 and more was a NumberFormatException (an internal error); below it, analysed. */
    @Test
    void aFileWithImpossibleValuesIsSkippedAndNamedWhileTheOthersAreRead() throws Exception {
        write("1.txt", "# time: 2026-11-25T10:00:00Z\n" + FIRST);
        Path huge = write(
                "2.txt",
                "# time: 2026-11-25T10:00:03Z\n"
                        + SECOND.replace("3200          76800", "3200          99999999999999999999"));
        write("3.txt", "# time: 2026-11-25T10:00:06Z\n" + THIRD.replace("668584", "9223372036854775807"));
        write("4.txt", "# time: 2026-11-25T10:00:09Z\n" + THIRD);

        SnapshotSeries series = reader.read(dir);

        assertEquals(3, series.recordsRead());
        assertEquals(1, series.skippedRecords());
        assertEquals(
                List.of("1 histogram file skipped, holding what no JVM prints (" + huge + ": the row of " + LEAK
                        + " has bytes 99999999999999999999, more than 2^50)"),
                series.warnings());
    }

    /** Issue 11: a time in the year 292278994 was read as a point in time. */
    @Test
    void aFileWithATimeNoJvmHadIsSkipped() throws Exception {
        write("1.txt", "# time: 2026-11-25T10:00:00Z\n" + FIRST);
        write("2.txt", "# time: 2026-11-25T10:00:03Z\n" + SECOND);
        Path future = write("3.txt", "# epochMillis: 9223372036854775807\n" + THIRD);
        Path past = write("4.txt", "# time: 1970-01-01T00:00:00Z\n" + THIRD);

        SnapshotSeries series = reader.read(dir);

        assertEquals(2, series.recordsRead());
        assertEquals(2, series.skippedRecords());
        assertEquals(
                List.of("2 histogram files skipped, holding what no JVM prints (first: " + future
                        + ": time 9223372036854775807 ms is not a time between 2000 and 2200)"),
                series.warnings());
        assertTrue(Files.exists(past));
    }

    @Test
    void onlyImpossibleFilesIsAnError() throws Exception {
        Path file = write("1.txt", "# time: 2226-11-25T10:00:00Z\n" + FIRST);

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertEquals(
                dir + ": no readable histogram (1 file skipped: " + file + ": time "
                        + Instant.parse("2226-11-25T10:00:00Z").toEpochMilli() + " ms is not a time "
                        + "between 2000 and 2200)",
                error.getMessage());
    }

    /** Issue 11: 20 copies of one histogram were analysed as 20 points in time. */
    @Test
    void copiesOfAFileAreDroppedAndCounted() throws Exception {
        write("1.txt", "# time: 2026-11-25T10:00:00Z\n" + FIRST);
        for (int copy = 0; copy < 20; copy++) {
            write("2-copy" + copy + ".txt", "# time: 2026-11-25T10:00:03Z\n" + SECOND);
        }
        write("3.txt", "# time: 2026-11-25T10:00:06Z\n" + THIRD);

        SnapshotSeries series = reader.read(dir);

        assertEquals(3, series.recordsRead());
        assertEquals(
                List.of(0L, 1L, 2L),
                series.snapshots().stream().map(Snapshot::sequence).collect(Collectors.toList()));
        assertEquals(0, series.skippedRecords());
        assertEquals(
                List.of("19 histogram files dropped as copies (same pid, time and rows as the file before; first: "
                        + "2-copy1.txt repeats 2-copy0.txt)"),
                series.warnings());
    }

    @Test
    void aPidTooLargeForAPidIsNoPid() throws Exception {
        write("1.txt", "# time: 2026-11-25T10:00:00Z\n" + FIRST.replace("7242:", "99999999999999999999:"));
        write("2.txt", "# time: 2026-11-25T10:00:03Z\n" + SECOND.replace("7242:", "99999999999999999999:"));

        SnapshotSeries series = reader.read(dir);

        assertEquals(2, series.recordsRead());
        assertEquals(-1, series.last().pid());
    }

    @Test
    void aMalformedTimeLineIsAnErrorNotAFallback() throws Exception {
        Path file = write("1.txt", "# time: yesterday at noon\n" + FIRST);

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertEquals(
                file + " line 1: time 'yesterday at noon' is not an ISO-8601 instant like 2026-11-25T10:15:30Z",
                error.getMessage());
    }

    @Test
    void anUnknownKindIsAnError() throws Exception {
        Path file = write("1.txt", "# time: 2026-11-25T10:00:00Z\n# kind: dead\n" + FIRST);

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertEquals(file + " line 2: histogram kind 'dead' is not one of live, all-after-gc, all", error.getMessage());
    }

    @Test
    void aDirectoryIsReadWithoutHiddenFilesLeakwatchFilesAndReports() throws Exception {
        write("histo.txt", "# time: 2026-11-25T10:00:00Z\n" + FIRST);
        write(".histo.txt.swp", "not a histogram");
        write("report.html", "<html></html>");
        write("leakwatch-report.txt", "not a histogram");
        write("snapshots-000001.jsonl.gz.tmp", "not a histogram");
        Files.createDirectory(dir.resolve("older"));

        SnapshotSeries series = reader.read(dir);

        assertEquals(1, series.size());
        assertFalse(HistogramFilesReader.isCandidate(dir.resolve("report.html")));
        assertTrue(HistogramFilesReader.isCandidate(dir.resolve("histo.txt")));
    }

    @Test
    void histogramsOfSeveralJvmsKeepOnlyTheNewestJvm() throws Exception {
        write("old-1.txt", "# time: 2026-11-25T09:00:00Z\n" + FIRST.replace("7242:", "6000:"));
        write("old-2.txt", "# time: 2026-11-25T09:01:00Z\n" + SECOND.replace("7242:", "6000:"));
        write("new-1.txt", "# time: 2026-11-25T10:00:00Z\n" + FIRST);
        write("new-2.txt", "# time: 2026-11-25T10:01:00Z\n" + SECOND);

        SnapshotSeries series = reader.read(dir);

        assertEquals(2, series.size());
        assertTrue(series.snapshots().stream().allMatch(snapshot -> snapshot.pid() == 7242));
        assertEquals(
                List.of("the histogram files come from 2 JVMs; analyzing the newest, pid 7242 (2 files); "
                        + "left out: pid 6000 (old-1.txt, old-2.txt)"),
                series.warnings());
    }

    @Test
    void anExplicitListOfFilesIsReadWhateverTheNames() throws Exception {
        Path first = write("report.html", "# time: 2026-11-25T10:00:00Z\n" + FIRST);
        Path second = write("second", "# time: 2026-11-25T10:01:00Z\n" + SECOND);

        SnapshotSeries series = reader.readFiles(List.of(second, first));

        assertEquals(List.of(1600L, 3200L), instancesOf(series, LEAK));
        assertEquals(dir.toString(), series.source());
    }

    @Test
    void aLongSeriesIsThinnedButKeepsItsFirstAndLastFile() throws Exception {
        for (int i = 0; i < 20; i++) {
            write(
                    String.format("h%02d.txt", i),
                    "# time: " + Instant.parse("2026-11-25T10:00:00Z").plusSeconds(60L * i) + "\n"
                            + FIRST.replace("  1600  ", String.format("%6d", 1600 + i) + "  "));
        }

        SnapshotSeries series = new HistogramFilesReader(4).read(dir);

        assertTrue(series.size() <= 5, "kept " + series.size());
        assertEquals(20, series.recordsRead());
        assertEquals(0, series.first().sequence());
        assertEquals(19, series.last().sequence());
        assertEquals(List.of(1600L), instancesOf(series, LEAK).subList(0, 1));
        assertEquals(1619L, instancesOf(series, LEAK).get(series.size() - 1));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static void setModified(Path file, String instant) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse(instant)));
    }

    private static long instant(String text) {
        return Instant.parse(text).toEpochMilli();
    }

    private static List<Long> times(SnapshotSeries series) {
        return series.snapshots().stream().map(Snapshot::epochMillis).collect(Collectors.toList());
    }

    static List<Long> instancesOf(SnapshotSeries series, String className) {
        return series.snapshots().stream()
                .map(snapshot -> {
                    for (int row = 0; row < snapshot.histogram().size(); row++) {
                        if (snapshot.histogram().className(row).equals(className)) {
                            return snapshot.histogram().instances(row);
                        }
                    }
                    throw new AssertionError(className + " missing in snapshot " + snapshot.sequence());
                })
                .collect(Collectors.toList());
    }
}
