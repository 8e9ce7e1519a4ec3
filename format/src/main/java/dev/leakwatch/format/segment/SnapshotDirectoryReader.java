package dev.leakwatch.format.segment;

import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.SnapshotFormatException;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads the segment files the agent wrote into a directory ({@link SnapshotFormat}) into the series of one JVM run.
 *
 * <p>A recording ends however its JVM ends, and lives on disks that flip bits, so reading keeps every record that
 * is intact and counts, in {@link SnapshotSeries#skippedRecords()}, each one it could not use, with one warning per
 * segment and kind of loss:
 * <ul>
 *   <li>A torn last gzip member (kill -9, a crash or a full disk while a record was written): the records before it
 *       are kept, the torn one counts as one skipped record and a warning names the segment.
 *   <li>Damaged members (a flipped byte in a header, in the compressed data or in the CRC32 and length trailer):
 *       each is one skipped record; reading resumes at the next readable member ({@link GzipMembers}), and the
 *       warning names the records by number.
 *   <li>Records {@link SnapshotCodec#decode} rejects, including those holding impossible values (negative bytes,
 *       a time in the year 292278994): skipped and counted; the warning gives the count and the first one's line
 *       number and reason.
 *   <li>Records longer than {@link LineSplitter#MAX_LINE_BYTES}: skipped and counted without being held in memory.
 *   <li>A file named like a compressed segment without a single gzip member in it: skipped whole with a warning and
 *       counted as one skipped record (how many records it held cannot be known). It is not an error as long as
 *       other segments hold readable records, because one damaged file should not hide a long recording.
 *   <li>A record whose JVM run already has a record of its sequence number (a segment copied twice into the
 *       directory): dropped, not skipped, and counted in a warning.
 *   <li>Records of several JVM runs (an output directory reused): the run whose last snapshot is newest is analyzed,
 *       and a warning names the runs left out. A run is a pid plus the JVM's start time (the snapshot time minus the
 *       uptime), because containers hand the same pid to every start of their JVM.
 * </ul>
 *
 * <p>Hard errors ({@link InputException}): a record of a newer schema version (reading around it would analyze a
 * recording with holes nobody sees), a file named like a segment with a number too large for one, no readable record
 * although some were present, and I/O errors.
 *
 * <p>Memory stays bounded on long recordings: segments are read a member at a time, and each run keeps its
 * snapshots in a {@link SnapshotWindow}, which relies on the agent appending records in time order. The window's
 * points are then sorted by (time, sequence). {@link SnapshotSeries#recordsRead()} counts the records of the analyzed
 * run before thinning; records of runs left out are counted in their warning.
 *
 * <p>Each read keeps its state to itself, so one instance may serve several threads.
 */
public final class SnapshotDirectoryReader {
    // Snapshot time minus uptime estimates the JVM start; wall-clock corrections and the time between reading the two
    // clocks move it by well under this over a run, while two runs of the same pid start further apart than this.
    private static final long SAME_RUN_START_TOLERANCE_MILLIS = 30_000;
    private static final long UNKNOWN_START = Long.MIN_VALUE;
    private static final String TRUNCATED =
            ": last record truncated (the JVM probably stopped while writing it); skipped";
    private static final String NOT_GZIP = ": not gzip data (Not in GZIP format); segment skipped";
    private static final Comparator<Snapshot> TIME_ORDER =
            Comparator.comparingLong(Snapshot::epochMillis).thenComparingLong(Snapshot::sequence);

    private final int maxPoints;

    public SnapshotDirectoryReader() {
        this(SnapshotWindow.DEFAULT_MAX_POINTS);
    }

    /** @throws IllegalArgumentException when {@code maxPoints} is too small for a {@link SnapshotWindow} */
    public SnapshotDirectoryReader(int maxPoints) {
        // The window owns the rule for a valid size; building one here fails fast instead of at the first record.
        this.maxPoints = new SnapshotWindow(maxPoints).maxPoints();
    }

    /** Reads every segment file in the directory, in segment order. */
    public SnapshotSeries read(Path directory) throws InputException {
        List<Path> segments = segmentFiles(Inputs.list(directory));
        if (segments.isEmpty()) {
            throw new InputException("no snapshots in " + directory
                    + ": no snapshots-NNNNNN.jsonl.gz segment file in it (" + Inputs.EXPECTED + ")");
        }
        return readSegments(directory.toString(), segments);
    }

    /**
     * The segment files among a directory's entries, ordered by segment index.
     *
     * @throws InputException when a file is named like a segment with a number no segment has: it would be read in
     *                        no order, or not at all
     */
    public static List<Path> segmentFiles(List<Path> entries) throws InputException {
        for (Path entry : entries) {
            checkSegmentNumber(entry);
        }
        return entries.stream()
                .filter(entry -> SnapshotFormat.segmentIndex(entry.getFileName().toString()) >= 0)
                .filter(Files::isRegularFile)
                .sorted(Comparator.comparingLong((Path entry) ->
                                SnapshotFormat.segmentIndex(entry.getFileName().toString()))
                        .thenComparing(entry -> entry.getFileName().toString()))
                .collect(Collectors.toList());
    }

    public static void checkSegmentNumber(Path entry) throws InputException {
        String name = entry.getFileName().toString();
        if (SnapshotFormat.isSegmentShaped(name) && SnapshotFormat.segmentIndex(name) < 0) {
            throw new InputException(entry + ": segment number too large (the agent numbers segments from "
                    + SnapshotFormat.segmentFileName(0) + " up); rename or remove the file");
        }
    }

    /** Reads the given segments, in the order given, as one recording called {@code source}. */
    public SnapshotSeries readSegments(String source, List<Path> segments) throws InputException {
        Reading reading = new Reading();
        for (Path segment : segments) {
            readSegment(segment, reading);
        }
        return reading.finish(source);
    }

    /** Reads one segment held in memory, named {@code name} ({@code .gz} for a compressed one); for tests. */
    public SnapshotSeries readSegment(String name, byte[] bytes) throws InputException {
        Reading reading = new Reading();
        try (SegmentBytes segment = SegmentBytes.of(bytes)) {
            readSegment(name, segment, reading);
        } catch (IOException e) {
            throw new AssertionError("reading memory cannot fail", e);
        }
        return reading.finish(name);
    }

    private void readSegment(Path segment, Reading reading) throws InputException {
        try (SegmentBytes bytes = SegmentBytes.of(segment)) {
            readSegment(segment.getFileName().toString(), bytes, reading);
        } catch (IOException e) {
            throw new InputException("cannot read " + segment + ": " + Inputs.describe(e), e);
        }
    }

    private void readSegment(String name, SegmentBytes bytes, Reading reading) throws IOException, InputException {
        if (bytes.size() == 0) {
            return; // the agent created the segment and stopped before its first record: nothing lost
        }
        SegmentRecords records = new SegmentRecords(name, reading);
        if (SnapshotFormat.isCompressed(name)) {
            GzipMembers.read(bytes, records);
        } else {
            records.readPlain(bytes);
        }
        records.finish();
    }

    /**
     * The records of one segment: splits its data into lines, decodes them, and counts what is lost, where and why,
     * into one warning per kind of loss.
     */
    private final class SegmentRecords implements GzipMembers.Visitor, LineSplitter.Lines {
        private static final int RECORDS_NAMED = 5;

        private final String segment;
        private final Reading reading;
        private final LineSplitter splitter = new LineSplitter(this);
        private long lineNumber;
        private boolean notGzip;
        private boolean truncated;
        private long damaged;
        private final List<Long> damagedRecords = new ArrayList<>();
        private String firstDamage;
        private long unreadable;
        private String firstUnreadable;
        private long overLong;
        private String firstOverLong;
        private long duplicates;
        private long firstDuplicate;
        private long strayBytes;

        SegmentRecords(String segment, Reading reading) {
            this.segment = segment;
            this.reading = reading;
        }

        void readPlain(SegmentBytes bytes) throws IOException, InputException {
            byte[] chunk = new byte[(int) Math.min(SegmentBytes.WINDOW_BYTES, bytes.size())];
            long position = 0;
            for (int read = bytes.read(position, chunk, 0, chunk.length);
                    read > 0;
                    read = bytes.read(position, chunk, 0, chunk.length)) {
                splitter.feed(chunk, 0, read);
                position += read;
            }
        }

        @Override
        public void data(byte[] bytes, int offset, int length) throws InputException {
            splitter.feed(bytes, offset, length);
        }

        @Override
        public void line(byte[] bytes, int offset, int length) throws InputException {
            lineNumber++;
            if (isBlank(bytes, offset, length)) {
                return;
            }
            try {
                accept(SnapshotCodec.decode(bytes, offset, length));
            } catch (SnapshotFormatException e) {
                failIfNewerVersion(new String(bytes, offset, length, StandardCharsets.UTF_8), e);
                unreadable++;
                if (firstUnreadable == null) {
                    firstUnreadable = "line " + lineNumber + ": " + Inputs.oneLine(e.getMessage());
                    reading.noteProblem(segment + " " + firstUnreadable);
                }
            }
        }

        @Override
        public void overLong() {
            lineNumber++;
            overLong("line " + lineNumber);
        }

        @Override
        public void overLong(long record) {
            splitter.discardPartialLine();
            overLong("record " + record);
        }

        private void overLong(String where) {
            overLong++;
            if (firstOverLong == null) {
                firstOverLong = where;
                reading.noteProblem(segment + " " + where + ": longer than " + megabytes(LineSplitter.MAX_LINE_BYTES));
            }
        }

        @Override
        public void damaged(long record, String reason) {
            splitter.discardPartialLine();
            damaged++;
            if (damagedRecords.size() < RECORDS_NAMED) {
                damagedRecords.add(record);
            }
            if (firstDamage == null) {
                firstDamage = reason;
                reading.noteProblem(segment + " record " + record + ": " + reason);
            }
        }

        @Override
        public void truncated(long record) {
            splitter.discardPartialLine();
            truncated = true;
            reading.noteProblem(segment + TRUNCATED);
        }

        @Override
        public void strayBytes(long count) {
            splitter.discardPartialLine();
            strayBytes += count;
        }

        @Override
        public void notGzip() {
            notGzip = true;
            reading.noteProblem(segment + NOT_GZIP);
        }

        private void accept(Snapshot snapshot) {
            if (!reading.accept(snapshot)) {
                if (duplicates++ == 0) {
                    firstDuplicate = snapshot.sequence();
                }
            }
        }

        void finish() throws InputException {
            if (splitter.hasPartialLine()) {
                finalLineWithoutNewline();
            }
            if (notGzip) {
                reading.skip(1, segment + NOT_GZIP);
            }
            if (damaged > 0) {
                reading.skip(
                        damaged,
                        segment + ": "
                                + (damaged == 1
                                        ? "record " + damagedRecords.get(0) + " damaged (" + firstDamage + "); skipped"
                                        : damaged + " damaged records skipped (records " + recordList() + "; first: "
                                                + firstDamage + ")"));
            }
            if (unreadable > 0) {
                reading.skip(
                        unreadable,
                        segment + ": " + unreadable
                                + (unreadable == 1 ? " unreadable record" : " unreadable records")
                                + " skipped (" + (unreadable == 1 ? "" : "first at ") + firstUnreadable + ")");
            }
            if (overLong > 0) {
                reading.skip(
                        overLong,
                        segment + ": " + overLong + (overLong == 1 ? " record" : " records")
                                + " longer than " + megabytes(LineSplitter.MAX_LINE_BYTES) + " skipped ("
                                + (overLong == 1 ? "" : "first at ") + firstOverLong + ")");
            }
            if (truncated) {
                reading.skip(1, segment + TRUNCATED);
            }
            if (duplicates > 0) {
                reading.warn(segment + ": " + duplicates + (duplicates == 1 ? " record" : " records")
                        + " dropped as duplicates (same JVM run and sequence number as a record read before; first: "
                        + "sequence " + firstDuplicate + ")");
            }
            if (strayBytes > 0) {
                reading.warn(segment + ": " + strayBytes + (strayBytes == 1 ? " stray byte" : " stray bytes")
                        + " between records skipped (too few to hold a record)");
            }
        }

        private String recordList() {
            String named = damagedRecords.stream().map(String::valueOf).collect(Collectors.joining(", "));
            return damaged > damagedRecords.size()
                    ? named + " and " + (damaged - damagedRecords.size()) + " more"
                    : named;
        }

        // The agent ends every record with a newline, so a last line without one is the start of a record whose
        // writing stopped, unless it happens to be complete (a hand-made file without a final newline).
        private void finalLineWithoutNewline() throws InputException {
            byte[] bytes = splitter.partialLine();
            splitter.discardPartialLine();
            String text = new String(bytes, StandardCharsets.UTF_8);
            lineNumber++;
            try {
                accept(SnapshotCodec.decode(text));
            } catch (SnapshotFormatException e) {
                failIfNewerVersion(text, e);
                truncated = true;
                reading.noteProblem(segment + TRUNCATED);
            }
        }

        private void failIfNewerVersion(String text, SnapshotFormatException e) throws InputException {
            if (SnapshotFormat.isNewerVersion(text)) {
                throw new InputException(segment + ": " + Inputs.oneLine(e.getMessage()), e);
            }
        }
    }

    private static boolean isBlank(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (!Character.isWhitespace(bytes[i])) {
                return false;
            }
        }
        return true;
    }

    private static String megabytes(long bytes) {
        return (bytes >> 20) + " MB";
    }

    /** The state of one {@link #readSegments} call. */
    private final class Reading {
        private final List<Run> runs = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private long skipped;
        private String firstProblem;

        /** Adds a snapshot to its run; false when the run has a snapshot of that sequence number already. */
        boolean accept(Snapshot snapshot) {
            long start = startEstimate(snapshot);
            for (Run run : runs) {
                if (run.matches(snapshot.pid(), start)) {
                    return run.add(snapshot, start);
                }
            }
            Run run = new Run(snapshot.pid(), start, new SnapshotWindow(maxPoints));
            run.add(snapshot, start);
            runs.add(run);
            return true;
        }

        /** Records lost, described in one warning. */
        void skip(long records, String warning) {
            skipped += records;
            noteProblem(warning);
            warn(warning);
        }

        void noteProblem(String problem) {
            if (firstProblem == null) {
                firstProblem = problem;
            }
        }

        void warn(String warning) {
            warnings.add("segment " + warning);
        }

        SnapshotSeries finish(String source) throws InputException {
            if (runs.isEmpty()) {
                if (skipped > 0) {
                    throw new InputException(source + ": no readable snapshot (" + skipped
                            + (skipped == 1 ? " record" : " records") + " skipped: " + firstProblem + ")");
                }
                warnings.add("the segment files hold no snapshot yet");
                return new SnapshotSeries(source, List.of(), 0, 0, warnings);
            }
            Run analyzed = runs.get(0);
            for (Run run : runs) {
                if (run.lastEpochMillis >= analyzed.lastEpochMillis) {
                    analyzed = run;
                }
            }
            if (runs.size() > 1) {
                warnings.add(runsWarning(analyzed));
            }
            List<Snapshot> snapshots = analyzed.window.snapshots();
            snapshots.sort(TIME_ORDER);
            return new SnapshotSeries(source, snapshots, analyzed.window.offered(), skipped, warnings);
        }

        private String runsWarning(Run analyzed) {
            String leftOut = runs.stream()
                    .filter(run -> run != analyzed)
                    .map(Run::describe)
                    .collect(Collectors.joining("; "));
            return "the directory holds records of " + runs.size() + " JVM runs; analyzing the newest, "
                    + analyzed.describe() + "; left out: " + leftOut;
        }
    }

    private static long startEstimate(Snapshot snapshot) {
        return snapshot.uptimeMillis() >= 0 ? snapshot.epochMillis() - snapshot.uptimeMillis() : UNKNOWN_START;
    }

    /** The snapshots of one JVM run. */
    private static final class Run {
        private final long pid;
        private final SnapshotWindow window;
        private final SequenceSet sequences = new SequenceSet();
        private long startEstimate;
        private long firstEpochMillis = Long.MAX_VALUE;
        private long lastEpochMillis = Long.MIN_VALUE;

        Run(long pid, long startEstimate, SnapshotWindow window) {
            this.pid = pid;
            this.startEstimate = startEstimate;
            this.window = window;
        }

        boolean matches(long otherPid, long otherStart) {
            if (otherPid != pid) {
                return false;
            }
            if (otherStart == UNKNOWN_START || startEstimate == UNKNOWN_START) {
                return otherStart == startEstimate;
            }
            // Compared with the latest record, so a slow drift of the wall clock over a long run does not add up.
            return Math.abs(otherStart - startEstimate) <= SAME_RUN_START_TOLERANCE_MILLIS;
        }

        /** False, adding nothing, for a sequence number seen before in this run. */
        boolean add(Snapshot snapshot, long start) {
            if (!sequences.add(snapshot.sequence())) {
                return false;
            }
            window.add(snapshot);
            startEstimate = start;
            firstEpochMillis = Math.min(firstEpochMillis, snapshot.epochMillis());
            lastEpochMillis = Math.max(lastEpochMillis, snapshot.epochMillis());
            return true;
        }

        String describe() {
            long count = window.offered();
            return (pid >= 0 ? "pid " + pid : "unknown pid") + " (" + count
                    + (count == 1 ? " snapshot, " : " snapshots, ") + Instant.ofEpochMilli(firstEpochMillis) + " to "
                    + Instant.ofEpochMilli(lastEpochMillis) + ")";
        }
    }
}
