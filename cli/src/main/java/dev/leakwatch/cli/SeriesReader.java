package dev.leakwatch.cli;

import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.segment.InputException;
import dev.leakwatch.format.segment.Inputs;
import dev.leakwatch.format.segment.SnapshotDirectoryReader;
import dev.leakwatch.format.segment.SnapshotWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The analyzer's one way in to stored input: looks at what a path holds and hands it to the reader that applies.
 *
 * <ul>
 *   <li>a directory holding segment files ({@code snapshots-NNNNNN.jsonl.gz} or {@code .jsonl}): the agent's recording,
 *       read by {@link SnapshotDirectoryReader}; other files next to the segments (a report) are ignored;
 *   <li>a directory holding other regular files: text histograms, one per point in time, read by
 *       {@link HistogramFilesReader};
 *   <li>a single segment file: just that segment.
 * </ul>
 *
 * Anything else is an {@link InputException} whose message says what was found and what was expected. Too few
 * snapshots for a trend is not an error here: the analysis reports "not enough data" itself.
 */
public final class SeriesReader {
    /** How many snapshots a series keeps at most when the caller has no opinion; see {@link SnapshotWindow}. */
    public static final int DEFAULT_MAX_POINTS = SnapshotWindow.DEFAULT_MAX_POINTS;

    static final String EXPECTED = Inputs.EXPECTED;
    private static final int NAMES_LISTED = 5;

    private SeriesReader() {}

    /**
     * @param maxPoints how many snapshots the series keeps at most (at least 4); longer recordings are thinned evenly
     * @throws InputException           when the path holds nothing readable; the message is one line for the user
     * @throws IllegalArgumentException when {@code maxPoints} is below 4
     */
    public static SnapshotSeries read(Path path, int maxPoints) throws InputException {
        if (Files.isDirectory(path)) {
            return readDirectory(path, maxPoints);
        }
        if (Files.isRegularFile(path)) {
            return readFile(path, maxPoints);
        }
        if (Files.notExists(path)) {
            throw new InputException(path + " does not exist");
        }
        throw new InputException(path + " is neither a directory nor a regular file (" + EXPECTED + ")");
    }

    /**
     * The recordings in a directory of recordings (the fleet view: one sub-directory per JVM), or an empty list when
     * the path is a recording itself or no directory. A directory of recordings holds sub-directories and no file other
     * than hidden ones, so a recording (segments, histogram files) is never taken for one.
     */
    static List<Path> recordingsIn(Path path) throws InputException {
        if (!Files.isDirectory(path)) {
            return List.of();
        }
        List<Path> entries = Inputs.list(path);
        List<Path> directories = entries.stream().filter(Files::isDirectory).collect(Collectors.toList());
        boolean onlyDirectories =
                entries.stream().allMatch(entry -> Files.isDirectory(entry) || Inputs.isHidden(entry));
        return onlyDirectories ? directories : List.of();
    }

    private static SnapshotSeries readDirectory(Path directory, int maxPoints) throws InputException {
        List<Path> entries = Inputs.list(directory);
        List<Path> segments = SnapshotDirectoryReader.segmentFiles(entries);
        if (!segments.isEmpty()) {
            return new SnapshotDirectoryReader(maxPoints).readSegments(directory.toString(), segments);
        }
        List<Path> histograms =
                entries.stream().filter(HistogramFilesReader::isCandidate).collect(Collectors.toList());
        if (!histograms.isEmpty()) {
            return new HistogramFilesReader(maxPoints).readFiles(directory.toString(), histograms);
        }
        if (entries.isEmpty()) {
            throw new InputException("no snapshots in " + directory + ": the directory is empty (" + EXPECTED + ")");
        }
        throw new InputException("no snapshots in " + directory + ": it holds neither snapshot segments nor histogram "
                + "text files, only " + names(entries) + " (" + EXPECTED + ")");
    }

    private static SnapshotSeries readFile(Path file, int maxPoints) throws InputException {
        SnapshotDirectoryReader.checkSegmentNumber(file);
        if (SnapshotFormat.segmentIndex(file.getFileName().toString()) >= 0) {
            return new SnapshotDirectoryReader(maxPoints).readSegments(file.toString(), List.of(file));
        }
        throw new InputException(file + " is not a snapshot segment (snapshots-NNNNNN.jsonl.gz); pass the agent's "
                + "output directory, or for jcmd histograms the directory holding one text file per point in time");
    }

    /** Whether a file is named like a snapshot segment ({@code snapshots-NNNNNN.jsonl.gz} or {@code .jsonl}). */
    static boolean isSegmentFile(Path file) {
        return SnapshotFormat.segmentIndex(file.getFileName().toString()) >= 0;
    }

    private static String names(List<Path> entries) {
        String listed = entries.stream()
                .limit(NAMES_LISTED)
                .map(entry -> entry.getFileName() + (Files.isDirectory(entry) ? "/" : ""))
                .collect(Collectors.joining(", "));
        int more = entries.size() - NAMES_LISTED;
        return more > 0 ? listed + " and " + more + " more" : listed;
    }
}
