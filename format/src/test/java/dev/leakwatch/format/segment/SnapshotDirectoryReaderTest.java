package dev.leakwatch.format.segment;

import static dev.leakwatch.format.segment.Fixtures.MINUTE;
import static dev.leakwatch.format.segment.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
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
        Fixtures.writePlainSegment(
                dir, 1, written.subList(4, 7).stream().map(Fixtures::line).collect(Collectors.toList()));
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
     * see GzipMembers), and halfway through its compressed data.
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
        Files.write(
                dir.resolve("snapshots-000001.jsonl.gz"),
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
        Files.write(
                dir.resolve("snapshots-000000.jsonl.gz"),
                Fixtures.concat(Fixtures.gzipSegment(written.subList(0, 2)), Arrays.copyOf(last, last.length - 4)));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(0, series.skippedRecords());
    }

    /** Issue 11: one flipped byte in record 1 of 12 left 2 records read while skippedRecords said 1. */
    @Test
    void oneFlippedByteLosesOnlyTheRecordItHits() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 12);
        byte[] segment = Fixtures.gzipSegment(written);
        int[] starts = memberStarts(written);
        segment[starts[0] + (starts[1] - starts[0]) / 2] ^= 0x10;
        Files.write(dir.resolve("snapshots-000000.jsonl.gz"), segment);

        SnapshotSeries series = reader.read(dir);

        assertEquals(written.subList(1, 12), series.snapshots());
        assertEquals(11, series.recordsRead());
        assertEquals(1, series.skippedRecords());
        assertEquals(1, series.warnings().size(), series.warnings().toString());
        assertTrue(
                series.warnings().get(0).startsWith("segment snapshots-000000.jsonl.gz: record 1 damaged ("),
                series.warnings().get(0));
    }

    /**
     * A byte flipped at every offset of a real segment, one offset at a time: every other record is read, and the
     * skipped count is exactly what was lost. A flip in the parts of a header that describe nothing the data depends
     * on (modification time, compression level, operating system) loses nothing.
     */
    @Test
    void aFlipAtEveryOffsetLosesOnlyTheRecordItHitsAndCountsIt() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 4);
        byte[] segment = Fixtures.gzipSegment(written);
        int[] starts = memberStarts(written);
        for (int offset = 0; offset < segment.length; offset++) {
            for (int flip : new int[] {0x01, 0xff}) {
                byte[] damaged = segment.clone();
                damaged[offset] ^= (byte) flip;
                int member = memberAt(starts, offset);
                int inHeader = offset - starts[member];
                String what =
                        "flip " + flip + " at " + offset + " (record " + (member + 1) + ", byte " + inHeader + ")";

                SnapshotSeries series = reader.readSegment("snapshots-000000.jsonl.gz", damaged);

                List<Snapshot> others = new ArrayList<>(written);
                others.remove(member);
                assertTrue(series.snapshots().containsAll(others), what + ": " + series.warnings());
                assertEquals(
                        written.size() - series.recordsRead(),
                        series.skippedRecords(),
                        what + ": " + series.warnings());
                boolean harmless = inHeader >= 4 && inHeader < 10 || inHeader == 3 && flip == 0x01;
                if (harmless || series.skippedRecords() == 0) {
                    // Also a flip in the unused bits after the end of the compressed data: the CRC32 vouches for it.
                    assertEquals(written, series.snapshots(), what + ": " + series.warnings());
                } else {
                    assertEquals(1, series.skippedRecords(), what + ": " + series.warnings());
                }
                if (inHeader < 4 && !harmless) {
                    assertEquals(1, series.skippedRecords(), what + ": " + series.warnings());
                }
                if (inHeader < 10 || member < written.size() - 1) {
                    assertTrue(
                            series.warnings().stream().noneMatch(w -> w.contains("truncated")),
                            what + ": " + series.warnings());
                }
            }
        }
    }

    private static int memberAt(int[] starts, int offset) {
        int member = 0;
        while (member + 1 < starts.length && starts[member + 1] <= offset) {
            member++;
        }
        return member;
    }

    /** Issue 11: a damaged header was reported as a torn last record, and everything after it lost. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void aFlippedByteInAMemberHeaderIsDamageNotATornRecord(int headerByte) throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 12);
        byte[] segment = Fixtures.gzipSegment(written);
        segment[memberStarts(written)[4] + headerByte] ^= headerByte == 3 ? 0x80 : 0x01;
        Files.write(dir.resolve("snapshots-000000.jsonl.gz"), segment);

        SnapshotSeries series = reader.read(dir);

        List<Snapshot> expected = new ArrayList<>(written);
        expected.remove(4);
        assertEquals(expected, series.snapshots());
        assertEquals(1, series.skippedRecords());
        assertEquals(1, series.warnings().size(), series.warnings().toString());
        String warning = series.warnings().get(0);
        assertTrue(warning.startsWith("segment snapshots-000000.jsonl.gz: record 5 damaged ("), warning);
        assertTrue(!warning.contains("truncated"), warning);
    }

    /** Issue 11: a record whose CRC32 or length did not match its data was analysed as if it were intact. */
    @ParameterizedTest
    @ValueSource(ints = {8, 7, 4, 1})
    void aMemberWhoseTrailerDoesNotMatchItsDataIsSkippedAndNamed(int fromEnd) throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 6);
        byte[] segment = Fixtures.gzipSegment(written);
        segment[memberStarts(written)[3] - fromEnd] ^= 0x01; // in record 3's trailer: CRC32 (8..5), length (4..1)
        Files.write(dir.resolve("snapshots-000000.jsonl.gz"), segment);

        SnapshotSeries series = reader.read(dir);

        assertEquals(
                List.of(written.get(0), written.get(1), written.get(3), written.get(4), written.get(5)),
                series.snapshots());
        assertEquals(1, series.skippedRecords());
        assertEquals(
                List.of("segment snapshots-000000.jsonl.gz: record 3 damaged ("
                        + (fromEnd > 4
                                ? "CRC32 does not match the data"
                                : "length in the trailer does not match the data")
                        + "); skipped"),
                series.warnings());
    }

    @Test
    void damageInSeveralMembersIsCountedAndTheRecordsNamedInOneWarning() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 10);
        byte[] segment = Fixtures.gzipSegment(written);
        int[] starts = memberStarts(written);
        for (int record : new int[] {2, 5, 9}) {
            segment[starts[record - 1] + 20] ^= 0x55;
        }
        Files.write(dir.resolve("snapshots-000000.jsonl.gz"), segment);

        SnapshotSeries series = reader.read(dir);

        assertEquals(7, series.recordsRead());
        assertEquals(3, series.skippedRecords());
        assertEquals(1, series.warnings().size(), series.warnings().toString());
        assertTrue(
                series.warnings()
                        .get(0)
                        .startsWith(
                                "segment snapshots-000000.jsonl.gz: 3 damaged records skipped (records 2, 5, 9; first: "),
                series.warnings().get(0));
    }

    @Test
    void strayBytesBetweenMembersLoseNoRecord() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 4);
        byte[] junk = {'x', 0, 0x1f};
        Files.write(
                dir.resolve("snapshots-000000.jsonl.gz"),
                Fixtures.concat(
                        Fixtures.concat(Fixtures.gzipSegment(written.subList(0, 2)), junk),
                        Fixtures.gzipSegment(written.subList(2, 4))));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(0, series.skippedRecords());
        assertEquals(
                List.of("segment snapshots-000000.jsonl.gz: 3 stray bytes between records skipped (too few to "
                        + "hold a record)"),
                series.warnings());
    }

    /** Issue 11: a 2 GB segment without a newline ran the analyzer out of memory after 17 seconds. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aRecordLongerThanTheLimitIsSkippedWithoutHoldingIt(boolean compressed) throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 2);
        byte[] huge = new byte[LineSplitter.MAX_LINE_BYTES + 2]; // one byte too many, and the newline
        Arrays.fill(huge, (byte) '{');
        huge[huge.length - 1] = '\n';
        if (compressed) {
            Files.write(
                    dir.resolve("snapshots-000000.jsonl.gz"),
                    Fixtures.concat(
                            Fixtures.concat(Fixtures.gzipMember(written.get(0)), Fixtures.gzip(huge)),
                            Fixtures.gzipMember(written.get(1))));
        } else {
            Files.write(
                    dir.resolve("snapshots-000000.jsonl"),
                    Fixtures.concat(
                            Fixtures.concat(SnapshotCodec.encode(written.get(0)), huge),
                            SnapshotCodec.encode(written.get(1))));
        }

        SnapshotSeries series = reader.read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(1, series.skippedRecords());
        assertEquals(
                List.of("segment snapshots-000000.jsonl"
                        + (compressed
                                ? ".gz: 1 record longer than 64 MB skipped " + "(record 2)"
                                : ": 1 record longer than 64 MB skipped (line 2)")),
                series.warnings());
    }

    /** A plain segment compressed whole with gzip(1): one member of many records, read like the agent's. */
    @Test
    void aSegmentCompressedAsOneMemberIsReadWhole() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 5);
        byte[] plain = written.stream()
                .map(Fixtures::line)
                .collect(Collectors.joining("\n", "", "\n"))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(dir.resolve("snapshots-000000.jsonl.gz"), Fixtures.gzip(plain));
        byte[] padded = Fixtures.concat(
                Fixtures.concat(SnapshotCodec.encode(written.get(0)), new byte[LineSplitter.MAX_LINE_BYTES]),
                SnapshotCodec.encode(written.get(1)));
        Arrays.fill(
                padded,
                SnapshotCodec.encode(written.get(0)).length,
                SnapshotCodec.encode(written.get(0)).length + LineSplitter.MAX_LINE_BYTES,
                (byte) '\n');
        // More data than a member is held for while its trailer is checked: checked first, then inflated again.
        Files.write(dir.resolve("snapshots-000001.jsonl.gz"), Fixtures.gzip(padded));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(0, series.skippedRecords());
        assertEquals(
                List.of("segment snapshots-000001.jsonl.gz: 2 records dropped as duplicates (same JVM run and "
                        + "sequence number as a record read before; first: sequence 0)"),
                series.warnings());
    }

    /** Issue 11: 20 copies of one record were analysed as 20 points in time. */
    @Test
    void aRecordSeenTwiceInOneRunIsDroppedAndCounted() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 5);
        Fixtures.writeGzipSegment(dir, 0, written);
        List<Snapshot> copies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            copies.add(written.get(2));
        }
        Fixtures.writeGzipSegment(dir, 1, copies);

        SnapshotSeries series = reader.read(dir);

        assertEquals(written, series.snapshots());
        assertEquals(5, series.recordsRead());
        assertEquals(0, series.skippedRecords(), "nothing unreadable");
        assertEquals(
                List.of("segment snapshots-000001.jsonl.gz: 20 records dropped as duplicates (same JVM run and "
                        + "sequence number as a record read before; first: sequence 2)"),
                series.warnings());
    }

    /** Issue 11: negative counts, 2^63-1 bytes and a time in the year 292278994 were all analysed. */
    @Test
    void recordsWithImpossibleValuesAreSkippedWithOneWarningPerSegment() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 6);
        List<String> lines = written.stream().map(Fixtures::line).collect(Collectors.toList());
        lines.set(1, lines.get(1).replace("[\"byte[]\",10010,", "[\"byte[]\",-10010,"));
        lines.set(3, lines.get(3).replace("\"time\":" + (T0 + 3 * MINUTE), "\"time\":9223372036854775807"));
        lines.set(4, lines.get(4).replace(",192000]", ",9223372036854775807]"));
        Fixtures.writePlainSegment(dir, 0, lines);

        SnapshotSeries series = reader.read(dir);

        assertEquals(List.of(written.get(0), written.get(2), written.get(5)), series.snapshots());
        assertEquals(3, series.skippedRecords());
        assertEquals(
                List.of(
                        "segment snapshots-000000.jsonl: 3 unreadable records skipped (first at line 2: malformed "
                                + "snapshot record: histogram row 0 (byte[]) has instances -10010, not a whole number from 0 to 2^50)"),
                series.warnings());
    }

    /** Issue 11: this name was a NumberFormatException, reported as an internal error. */
    @Test
    void aSegmentNumberTooLargeForAnySegmentIsAnErrorNamingTheFile() throws Exception {
        Fixtures.writeGzipSegment(dir, 0, Fixtures.run(PID, JVM_START, T0, 2));
        Path odd = Files.createFile(dir.resolve("snapshots-99999999999999999999.jsonl.gz"));

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertEquals(
                odd + ": segment number too large (the agent numbers segments from snapshots-000000.jsonl.gz up); "
                        + "rename or remove the file",
                error.getMessage());
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
        Fixtures.writePlainSegment(
                dir,
                0,
                List.of(
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
        assertTrue(
                warning.startsWith("segment snapshots-000000.jsonl: 2 unreadable records skipped (first at line 2: "
                        + "not a JSON record: "),
                warning);
        assertTrue(!warning.contains("line 5"), "only the first failure is described: " + warning);
    }

    @Test
    void aLastLineWithoutNewlineIsKeptWhenCompleteAndCountedAsTruncatedWhenNot() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 4);
        Files.writeString(
                dir.resolve("snapshots-000000.jsonl"),
                Fixtures.line(written.get(0)) + "\n" + Fixtures.line(written.get(1)));
        String third = Fixtures.line(written.get(3));
        Files.writeString(
                dir.resolve("snapshots-000001.jsonl"),
                Fixtures.line(written.get(2)) + "\n" + third.substring(0, third.length() / 2));

        SnapshotSeries series = reader.read(dir);

        assertEquals(written.subList(0, 3), series.snapshots());
        assertEquals(1, series.skippedRecords());
        assertEquals(
                List.of("segment snapshots-000001.jsonl: last record truncated (the JVM probably stopped while "
                        + "writing it); skipped"),
                series.warnings());
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
        assertEquals(
                List.of("segment snapshots-000001.jsonl.gz: not gzip data (Not in GZIP format); segment skipped"),
                series.warnings());
    }

    @Test
    void aDirectoryOfOnlyRandomBytesIsAnErrorThatSaysWhy() throws Exception {
        Files.write(dir.resolve("snapshots-000000.jsonl.gz"), randomBytes());

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertEquals(
                dir + ": no readable snapshot (1 record skipped: snapshots-000000.jsonl.gz: not gzip data "
                        + "(Not in GZIP format); segment skipped)",
                error.getMessage());
    }

    @Test
    void recordsThatAllFailToDecodeAreAnErrorNamingTheFirstReason() throws Exception {
        Fixtures.writePlainSegment(dir, 0, List.of("{not json", "[1,2]", "{\"format\":\"leakwatch-snapshot\"}"));

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertTrue(
                error.getMessage()
                        .startsWith(dir + ": no readable snapshot (3 records skipped: "
                                + "snapshots-000000.jsonl line 1: not a JSON record: "),
                error.getMessage());
        assertEquals(1, error.getMessage().lines().count());
    }

    @Test
    void aRecordOfANewerSchemaVersionIsAnErrorNotASkip() throws Exception {
        List<Snapshot> written = Fixtures.run(PID, JVM_START, T0, 2);
        String newer = Fixtures.line(written.get(1))
                .replace("\"schemaVersion\":" + SnapshotFormat.CURRENT_VERSION + ",", "\"schemaVersion\":99,");
        assertTrue(newer.contains("\"schemaVersion\":99,"), "fixture must carry the newer version: " + newer);
        Fixtures.writeGzipSegment(dir, 0, written.subList(0, 1));
        Fixtures.writePlainSegment(dir, 1, List.of(newer));

        InputException error = assertThrows(InputException.class, () -> reader.read(dir));

        assertEquals(
                "snapshots-000001.jsonl: snapshot schemaVersion 99 is newer than this analyzer reads ("
                        + SnapshotFormat.CURRENT_VERSION + "); " + "use a newer leakwatch analyzer",
                error.getMessage());
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
        assertEquals(
                List.of("the directory holds records of 2 JVM runs; analyzing the newest, pid 200 (3 snapshots, "
                        + "2026-11-25T11:00:00Z to 2026-11-25T11:02:00Z); left out: pid 100 (5 snapshots, "
                        + "2026-11-25T10:00:00Z to 2026-11-25T10:04:00Z)"),
                series.warnings());
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
        assertTrue(
                series.warnings().get(0).contains("left out: pid 1 (5 snapshots, 2026-11-25T10:00:00Z to "),
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
        List<Long> times =
                series.snapshots().stream().map(Snapshot::epochMillis).collect(Collectors.toList());
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

        assertTrue(
                error.getMessage().startsWith("no snapshots in " + dir + ": no snapshots-NNNNNN.jsonl.gz segment"),
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
        return new Snapshot(
                sequence,
                T0 + sequence * MINUTE,
                sequence * MINUTE + 5_000,
                PID,
                "17.0.15+6",
                20,
                new ClassHistogram(HistogramKind.LIVE, names, instances, bytes),
                Optional.empty());
    }

    /** Where each record's gzip member starts in {@link Fixtures#gzipSegment} of these snapshots. */
    private static int[] memberStarts(List<Snapshot> snapshots) {
        int[] starts = new int[snapshots.size()];
        for (int i = 1; i < snapshots.size(); i++) {
            starts[i] = starts[i - 1] + Fixtures.gzipMember(snapshots.get(i - 1)).length;
        }
        return starts;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[4096];
        new Random(42).nextBytes(bytes);
        bytes[0] = 'x'; // whatever the seed, never the gzip magic number
        return bytes;
    }
}
