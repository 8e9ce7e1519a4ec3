package dev.leakwatch.format.segment;

import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.model.SnapshotSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * <p>{@link SegmentReader} reads each segment's records and counts its losses; {@link SeriesAssembler} groups the
 * records into {@link JvmRun}s and assembles the series.
 *
 * <p>Each read keeps its state to itself, so one instance may serve several threads.
 */
public final class SnapshotDirectoryReader {
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
        SeriesAssembler series = new SeriesAssembler(maxPoints);
        for (Path segment : segments) {
            readSegment(segment, series);
        }
        return series.finish(source);
    }

    /** Reads one segment held in memory, named {@code name} ({@code .gz} for a compressed one); for tests. */
    public SnapshotSeries readSegment(String name, byte[] bytes) throws InputException {
        SeriesAssembler series = new SeriesAssembler(maxPoints);
        try (SegmentBytes segment = SegmentBytes.of(bytes)) {
            SegmentReader.read(name, segment, series);
        } catch (IOException e) {
            throw new AssertionError("reading memory cannot fail", e);
        }
        return series.finish(name);
    }

    private void readSegment(Path segment, SeriesAssembler series) throws InputException {
        try (SegmentBytes bytes = SegmentBytes.of(segment)) {
            SegmentReader.read(segment.getFileName().toString(), bytes, series);
        } catch (IOException e) {
            throw new InputException("cannot read " + segment + ": " + Inputs.describe(e), e);
        }
    }
}
