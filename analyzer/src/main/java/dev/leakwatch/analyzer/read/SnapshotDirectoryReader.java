package dev.leakwatch.analyzer.read;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.analyzer.format.SnapshotCodec;
import dev.leakwatch.analyzer.format.SnapshotFormat;
import dev.leakwatch.analyzer.format.SnapshotFormatException;
import dev.leakwatch.analyzer.model.Snapshot;
import dev.leakwatch.analyzer.model.SnapshotSeries;
import dev.leakwatch.analyzer.model.SnapshotWindow;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the segment files the agent wrote into a directory ({@link SnapshotFormat}) into the series of one JVM run.
 *
 * <p>A recording ends however its JVM ends, so reading tolerates what a crash leaves behind:
 * <ul>
 *   <li>A torn last gzip member (kill -9, a crash or a full disk while a record was written): the records before it
 *       are kept, the torn one counts as one skipped record and a warning names the segment.
 *   <li>Records {@link SnapshotCodec#decode} rejects: skipped and counted; one warning per segment gives the count
 *       and the first one's line number and reason.
 *   <li>A file named like a compressed segment that is not gzip data at all: skipped whole with a warning and counted
 *       as one skipped record (how many records it held cannot be known). It is not an error as long as other
 *       segments hold readable records, because one damaged file should not hide a long recording.
 *   <li>Records of several JVM runs (an output directory reused): the run whose last snapshot is newest is analyzed,
 *       and a warning names the runs left out. A run is a pid plus the JVM's start time (the snapshot time minus the
 *       uptime), because containers hand the same pid to every start of their JVM.
 * </ul>
 *
 * <p>Hard errors ({@link InputException}): a record of a newer schema version (reading around it would analyze a
 * recording with holes nobody sees), no readable record although some were present, and I/O errors.
 *
 * <p>Memory stays bounded on long recordings: segments are streamed a record at a time, and each run keeps its
 * snapshots in a {@link SnapshotWindow}, which relies on the agent appending records in time order. The window's
 * points are then sorted by (time, sequence). {@link SnapshotSeries#recordsRead()} counts the records of the analyzed
 * run before thinning; records of runs left out are counted in their warning.
 *
 * <p>Each read keeps its state to itself, so one instance may serve several threads.
 */
public final class SnapshotDirectoryReader {
    private static final int BUFFER_BYTES = 64 * 1024;
    // Snapshot time minus uptime estimates the JVM start; wall-clock corrections and the time between reading the two
    // clocks move it by well under this over a run, while two runs of the same pid start further apart than this.
    private static final long SAME_RUN_START_TOLERANCE_MILLIS = 30_000;
    private static final long UNKNOWN_START = Long.MIN_VALUE;
    private static final String TRUNCATED = ": last record truncated (the JVM probably stopped while writing it); skipped";
    private static final ObjectMapper ENVELOPE = new ObjectMapper();
    private static final Comparator<Snapshot> TIME_ORDER =
            Comparator.comparingLong(Snapshot::epochMillis).thenComparingLong(Snapshot::sequence);

    private final int maxPoints;

    public SnapshotDirectoryReader() {
        this(SeriesReader.DEFAULT_MAX_POINTS);
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
            throw new InputException("no snapshots in " + directory + ": no snapshots-NNNNNN.jsonl.gz segment file in it ("
                    + SeriesReader.EXPECTED + ")");
        }
        return readSegments(directory.toString(), segments);
    }

    /** The segment files among a directory's entries, ordered by segment index. */
    static List<Path> segmentFiles(List<Path> entries) {
        return entries.stream()
                .filter(entry -> SnapshotFormat.segmentIndex(entry.getFileName().toString()) >= 0)
                .filter(Files::isRegularFile)
                .sorted(Comparator.comparingLong((Path entry) -> SnapshotFormat.segmentIndex(entry.getFileName().toString()))
                        .thenComparing(entry -> entry.getFileName().toString()))
                .collect(Collectors.toList());
    }

    /** Reads the given segments, in the order given, as one recording called {@code source}. */
    SnapshotSeries readSegments(String source, List<Path> segments) throws InputException {
        Reading reading = new Reading();
        for (Path segment : segments) {
            readSegment(segment, reading);
        }
        return reading.finish(source);
    }

    private void readSegment(Path segment, Reading reading) throws InputException {
        String name = segment.getFileName().toString();
        try {
            if (Files.size(segment) == 0) {
                return; // the agent created the segment and stopped before its first record: nothing lost
            }
            try (InputStream raw = Files.newInputStream(segment)) {
                InputStream in;
                if (SnapshotFormat.isCompressed(name)) {
                    try {
                        in = new MemberAwareGzipStream(new BufferedInputStream(raw, BUFFER_BYTES));
                    } catch (EOFException e) {
                        // Fewer bytes than one gzip header: the segment's first member was torn.
                        reading.skip(name + TRUNCATED);
                        return;
                    } catch (ZipException e) {
                        reading.skip(name + ": not gzip data (" + Inputs.describe(e) + "); segment skipped");
                        return;
                    }
                } else {
                    in = new BufferedInputStream(raw, BUFFER_BYTES);
                }
                new SegmentLines(name, reading).readAll(in);
            }
        } catch (IOException e) {
            throw new InputException("cannot read " + segment + ": " + Inputs.describe(e), e);
        }
    }

    /**
     * Splits one segment's bytes into lines and decodes them. For a compressed segment the bytes come from a
     * {@link GZIPInputStream}, which reads the concatenated members one after another. Where a write stopped decides
     * what is lost:
     * <ul>
     *   <li>inside a member's compressed data: the stream ends with an {@link EOFException}, possibly after handing out
     *       the start of the record's line; the record is lost and counted;
     *   <li>inside its 8-byte trailer: all of the record came out before the {@link EOFException}; it is kept;
     *   <li>inside its header or its first few bytes of data: GZIPInputStream ends the stream quietly, as if the
     *       segment ended with the member before (it ignores a header it cannot read after a complete member, and does
     *       not even try when fewer than 27 bytes follow that member); the bytes it left unread give the loss away.
     * </ul>
     * Damaged data (not a tear) ends the stream with a {@link ZipException}; the rest of that segment is lost.
     */
    private final class SegmentLines {
        private final String segment;
        private final Reading reading;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
        private long lineNumber;
        private long unreadable;
        private String firstUnreadable;

        SegmentLines(String segment, Reading reading) {
            this.segment = segment;
            this.reading = reading;
        }

        void readAll(InputStream in) throws IOException, InputException {
            MemberAwareGzipStream gzip = in instanceof MemberAwareGzipStream stream ? stream : null;
            byte[] chunk = new byte[BUFFER_BYTES];
            boolean torn;
            ZipException damage = null;
            try {
                for (int length = in.read(chunk); length >= 0; length = in.read(chunk)) {
                    split(chunk, length);
                }
                torn = gzip != null && gzip.bytesAfterLastMember() > 0;
            } catch (EOFException e) {
                torn = gzip == null || !gzip.memberDataComplete();
            } catch (ZipException e) {
                torn = false;
                damage = e;
            }
            if (torn) {
                reading.skip(segment + TRUNCATED);
            } else if (damage != null) {
                reading.skip(segment + ": compressed data damaged after line " + lineNumber + " ("
                        + Inputs.describe(damage) + "); the rest of the segment is skipped");
            } else if (partial.size() > 0) {
                finalLineWithoutNewline();
            }
            if (unreadable > 0) {
                reading.warn(segment + ": " + unreadable + (unreadable == 1 ? " unreadable record" : " unreadable records")
                        + " skipped (" + (unreadable == 1 ? "" : "first at ") + firstUnreadable + ")");
            }
        }

        private void split(byte[] chunk, int length) throws InputException {
            int start = 0;
            for (int i = 0; i < length; i++) {
                if (chunk[i] != '\n') {
                    continue;
                }
                if (partial.size() == 0) {
                    line(new String(chunk, start, i - start, StandardCharsets.UTF_8));
                } else {
                    partial.write(chunk, start, i - start);
                    line(partial.toString(StandardCharsets.UTF_8));
                    partial.reset();
                }
                start = i + 1;
            }
            partial.write(chunk, start, length - start);
        }

        private void line(String text) throws InputException {
            lineNumber++;
            if (text.isBlank()) {
                return;
            }
            try {
                reading.accept(SnapshotCodec.decode(text));
            } catch (SnapshotFormatException e) {
                failIfNewerVersion(text, e);
                unreadable++;
                reading.countSkipped();
                if (firstUnreadable == null) {
                    firstUnreadable = "line " + lineNumber + ": " + Inputs.oneLine(e.getMessage());
                    reading.noteProblem(segment + " " + firstUnreadable);
                }
            }
        }

        // The agent ends every record with a newline, so a last line without one is the start of a record whose
        // writing stopped, unless it happens to be complete (a hand-made file without a final newline).
        private void finalLineWithoutNewline() throws InputException {
            String text = partial.toString(StandardCharsets.UTF_8);
            lineNumber++;
            try {
                reading.accept(SnapshotCodec.decode(text));
            } catch (SnapshotFormatException e) {
                failIfNewerVersion(text, e);
                reading.skip(segment + TRUNCATED);
            }
        }

        private void failIfNewerVersion(String text, SnapshotFormatException e) throws InputException {
            if (isNewerSchemaVersion(text)) {
                throw new InputException(segment + ": " + Inputs.oneLine(e.getMessage()), e);
            }
        }
    }

    /** A {@link GZIPInputStream} that tells where a torn member was torn; see {@link SegmentLines}. */
    private static final class MemberAwareGzipStream extends GZIPInputStream {
        private static final int TRAILER_BYTES = 8;

        MemberAwareGzipStream(InputStream in) throws IOException {
            super(in, BUFFER_BYTES);
        }

        /** After an {@link EOFException}: whether the current member's compressed data had reached its end. */
        boolean memberDataComplete() {
            return inf.finished();
        }

        /**
         * At the end of the stream: how many input bytes follow the last complete member, those still buffered behind
         * its trailer plus those not read from the file yet. Misses a tail that starts exactly at a buffer boundary,
         * which GZIPInputStream then reads past itself.
         */
        long bytesAfterLastMember() throws IOException {
            return Math.max(0, inf.getRemaining() - TRAILER_BYTES) + in.available();
        }
    }

    /**
     * Whether a record the codec rejected is a leakwatch record of a newer schema version. The codec rejects it like any
     * other record; this reader must tell it apart, because skipping it would analyze a newer recording as if it held
     * nothing, or only its older runs.
     */
    private static boolean isNewerSchemaVersion(String line) {
        try {
            JsonNode root = ENVELOPE.readTree(line);
            if (root != null && root.isObject() && SnapshotFormat.FORMAT_NAME.equals(root.path("format").asText())) {
                return root.path("schemaVersion").asInt(-1) > SnapshotFormat.CURRENT_VERSION;
            }
        } catch (JsonProcessingException e) {
            // not JSON at all: an ordinary unreadable record
        }
        return false;
    }

    /** The state of one {@link #readSegments} call. */
    private final class Reading {
        private final List<Run> runs = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();
        private long skipped;
        private String firstProblem;

        void accept(Snapshot snapshot) {
            long start = startEstimate(snapshot);
            for (Run run : runs) {
                if (run.matches(snapshot.pid(), start)) {
                    run.add(snapshot, start);
                    return;
                }
            }
            Run run = new Run(snapshot.pid(), start, new SnapshotWindow(maxPoints));
            run.add(snapshot, start);
            runs.add(run);
        }

        /** One record lost, described in a warning of its own. */
        void skip(String warning) {
            countSkipped();
            noteProblem(warning);
            warn(warning);
        }

        void countSkipped() {
            skipped++;
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

        void add(Snapshot snapshot, long start) {
            window.add(snapshot);
            startEstimate = start;
            firstEpochMillis = Math.min(firstEpochMillis, snapshot.epochMillis());
            lastEpochMillis = Math.max(lastEpochMillis, snapshot.epochMillis());
        }

        String describe() {
            long count = window.offered();
            return (pid >= 0 ? "pid " + pid : "unknown pid") + " (" + count + (count == 1 ? " snapshot, " : " snapshots, ")
                    + Instant.ofEpochMilli(firstEpochMillis) + " to " + Instant.ofEpochMilli(lastEpochMillis) + ")";
        }
    }
}
