package dev.leakwatch.cli;

import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.jcmd.JcmdHistogramParser;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.segment.InputException;
import dev.leakwatch.format.segment.Inputs;
import dev.leakwatch.format.segment.SnapshotWindow;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads class histograms saved as text, one file per point in time, as printed by
 * {@code jcmd PID GC.class_histogram [-all]}, {@code jmap -histo[:live] PID} or the DiagnosticCommand MBean; the rows
 * are parsed by {@link JcmdHistogramParser}.
 *
 * <p>Lines starting with {@code #} before the histogram's column header may say when and how it was taken (keys are
 * case-insensitive, the first time line counts, other {@code #} lines are ignored):
 * <pre>
 * # time: 2026-11-25T10:15:30Z       an ISO-8601 instant; an offset instead of Z works too (2026-11-25T11:15:30+01:00)
 * # epochMillis: 1795601730000       milliseconds since 1970-01-01T00:00:00Z
 * # kind: all                        live (the default), all, or all-after-gc
 * # jcmd 4123 GC.class_histogram -all    a line holding the word -all also means kind all
 * </pre>
 * A shell loop can write them, e.g. {@code { echo "# time: $(date -u +%FT%TZ)"; jcmd $PID GC.class_histogram; } > f}.
 * A malformed time or kind is an error, not a fallback: a wrong time bends every trend computed from it.
 *
 * <p>Without a time line the file's last-modified time is used and a warning says so; that is right for files jcmd
 * wrote as it went and wrong for copies ({@code cp} without {@code -p}), which the warning points out when files share
 * a time. jcmd and jmap print nothing that tells a live histogram from an {@code -all} one, so a file without a kind
 * line counts as live, jcmd's default. The pid comes from the line jcmd prints first ({@code 4123:}), the JVM version
 * from the module column ({@code (java.base@17.0.15)}); jmap prints neither (pid -1, version empty). Snapshots are
 * numbered 0, 1, 2... in time order (ties broken by file name) and have no JVM gauges.
 *
 * <p>Files that name different pids are histograms of different JVMs: only the pid whose last histogram is newest is
 * read, and a warning names the files left out (files without a pid line among them).
 *
 * <p>In a directory every regular file is read except hidden ones, leakwatch's own files (names starting with
 * {@code snapshots-} or {@code leakwatch}) and names ending in {@code .gz .zip .json .jsonl .html .htm .md .jfr .hprof}
 * (reports, recordings and heap dumps kept next to the histograms). A file without a single histogram row is an error
 * naming it. Only one file's text is held at a time; the series is bounded by a {@link SnapshotWindow}.
 *
 * <p>A file that cannot be a histogram of a JVM is skipped, counted in {@link SnapshotSeries#skippedRecords()} and
 * named in one warning, so one damaged file does not hide the others: a time before 2000 or from 2200 on, a count
 * larger than 2^50 (as {@link SnapshotCodec} refuses them in snapshots, issue 11), or more than
 * {@link #MAX_FILE_BYTES}. A file with the same pid, time and rows as the one before it is a copy: dropped, and
 * counted in a warning. When every file is skipped the read is an error.
 */
public final class HistogramFilesReader {
    private static final List<String> NOT_HISTOGRAM_SUFFIXES =
            List.of(".gz", ".zip", ".json", ".jsonl", ".html", ".htm", ".md", ".jfr", ".hprof");
    private static final Pattern PID_LINE = Pattern.compile("^(\\d{1,18}):$");
    private static final Pattern HEADER = Pattern.compile("^#\\s*([A-Za-z]+)\\s*:\\s*(.*?)\\s*$");
    private static final Pattern JAVA_BASE_VERSION = Pattern.compile("\\(java\\.base@([^)\\s]+)\\)");
    private static final long UNKNOWN_PID = -1;
    /** jcmd prints about 80 bytes a class: 64 MB is 800,000 classes, far more than any JVM loads. */
    static final long MAX_FILE_BYTES = 64 << 20;
    /** The pid and '#' lines come first; they are read from this much of the file at most. */
    private static final int HEADER_BYTES = 64 * 1024;

    private final int maxPoints;

    public HistogramFilesReader() {
        this(SeriesReader.DEFAULT_MAX_POINTS);
    }

    /** @throws IllegalArgumentException when {@code maxPoints} is too small for a {@link SnapshotWindow} */
    public HistogramFilesReader(int maxPoints) {
        // The window owns the rule for a valid size; building one here fails fast instead of at the first file.
        this.maxPoints = new SnapshotWindow(maxPoints).maxPoints();
    }

    /** Reads the histogram files of a directory; see the class comment for which files count. */
    public SnapshotSeries read(Path directory) throws InputException {
        List<Path> files = Inputs.list(directory).stream()
                .filter(HistogramFilesReader::isCandidate)
                .collect(Collectors.toList());
        if (files.isEmpty()) {
            throw new InputException("no histogram files in " + directory + " (" + SeriesReader.EXPECTED + ")");
        }
        return readFiles(directory.toString(), files);
    }

    /** Reads exactly the files given, whatever their names. */
    public SnapshotSeries readFiles(List<Path> files) throws InputException {
        if (files.isEmpty()) {
            throw new InputException("no histogram files given (" + SeriesReader.EXPECTED + ")");
        }
        Path parent = files.get(0).toAbsolutePath().getParent();
        boolean oneDirectory = files.stream()
                .allMatch(file -> parent.equals(file.toAbsolutePath().getParent()));
        String source = files.size() == 1
                ? files.get(0).toString()
                : oneDirectory ? parent.toString() : files.get(0) + " and " + (files.size() - 1) + " more files";
        return readFiles(source, files);
    }

    /** Whether a directory entry may be a histogram text file. */
    static boolean isCandidate(Path entry) {
        String name = entry.getFileName().toString();
        String lowerCase = name.toLowerCase(Locale.ROOT);
        return Files.isRegularFile(entry)
                && !Inputs.isHidden(entry)
                && SnapshotFormat.segmentIndex(name) < 0
                && !lowerCase.startsWith("snapshots-")
                && !lowerCase.startsWith("leakwatch")
                && NOT_HISTOGRAM_SUFFIXES.stream().noneMatch(lowerCase::endsWith);
    }

    SnapshotSeries readFiles(String source, List<Path> files) throws InputException {
        // First only the headers, to know the order; then one file at a time, so memory holds one text at most.
        Losses losses = new Losses();
        List<Header> headers = new ArrayList<>(files.size());
        for (Path file : files) {
            Header header = readHeader(file);
            if (header.epochMillis() < SnapshotCodec.EARLIEST_TIME
                    || header.epochMillis() >= SnapshotCodec.LATEST_TIME) {
                losses.skip(
                        file,
                        (header.timeFromFile() ? "last-modified time " : "time ") + header.epochMillis()
                                + " ms is not a time between 2000 and 2200");
            } else {
                headers.add(header);
            }
        }
        headers.sort(Comparator.comparingLong(Header::epochMillis)
                .thenComparing(header -> header.file().getFileName().toString()));
        List<String> warnings = new ArrayList<>();
        headers = onePid(headers, warnings);
        timeFromFileWarning(headers).ifPresent(warnings::add);

        SnapshotWindow window = new SnapshotWindow(maxPoints);
        Snapshot previous = null;
        Path previousFile = null;
        for (Header header : headers) {
            Snapshot snapshot = readSnapshot(header, window.offered(), losses);
            if (snapshot == null) {
                continue;
            }
            if (previous != null
                    && previous.epochMillis() == snapshot.epochMillis()
                    && previous.histogram().equals(snapshot.histogram())) {
                losses.duplicate(header.file(), previousFile);
                continue;
            }
            window.add(snapshot);
            previous = snapshot;
            previousFile = header.file();
        }
        if (window.offered() == 0 && losses.skipped > 0) {
            throw new InputException(source + ": no readable histogram (" + losses.skipped
                    + (losses.skipped == 1 ? " file" : " files") + " skipped: " + losses.firstSkip + ")");
        }
        losses.warnings().forEach(warnings::add);
        return new SnapshotSeries(source, window.snapshots(), window.offered(), losses.skipped, warnings);
    }

    /** Files skipped or dropped, for one warning each. */
    private static final class Losses {
        private long skipped;
        private String firstSkip;
        private long duplicates;
        private String firstDuplicate;

        void skip(Path file, String reason) {
            if (skipped++ == 0) {
                firstSkip = file + ": " + reason;
            }
        }

        void duplicate(Path file, Path original) {
            if (duplicates++ == 0) {
                firstDuplicate = file.getFileName() + " repeats " + original.getFileName();
            }
        }

        List<String> warnings() {
            List<String> warnings = new ArrayList<>();
            if (skipped > 0) {
                warnings.add(skipped + (skipped == 1 ? " histogram file" : " histogram files")
                        + " skipped, holding what no JVM prints (" + (skipped == 1 ? "" : "first: ") + firstSkip + ")");
            }
            if (duplicates > 0) {
                warnings.add(duplicates + (duplicates == 1 ? " histogram file" : " histogram files")
                        + " dropped as copies (same pid, time and rows as the file before; "
                        + (duplicates == 1 ? "" : "first: ") + firstDuplicate + ")");
            }
            return warnings;
        }
    }

    /** What the lines before the histogram rows say. */
    private record Header(Path file, long epochMillis, boolean timeFromFile, HistogramKind kind, long pid) {}

    private static Header readHeader(Path file) throws InputException {
        Long epochMillis = null;
        HistogramKind kind = null;
        boolean allWord = false;
        long pid = UNKNOWN_PID;
        // Decoding replaces malformed bytes instead of failing: a stray byte in a class name is no reason to refuse a
        // histogram.
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(HEADER_BYTES);
            List<String> lines = new ArrayList<>(List.of(new String(head, StandardCharsets.UTF_8).split("\n", -1)));
            if (head.length == HEADER_BYTES) {
                lines.remove(lines.size() - 1); // cut at the limit, not at a newline
            }
            int lineNumber = 0;
            for (String line : lines) {
                lineNumber++;
                String text = line.strip();
                if (text.isEmpty()) {
                    continue;
                }
                Matcher pidLine = PID_LINE.matcher(text);
                if (pidLine.matches()) {
                    pid = Long.parseLong(pidLine.group(1));
                    continue;
                }
                if (!text.startsWith("#")) {
                    break; // the column header or the first row: the header lines are over
                }
                allWord |=
                        Arrays.asList(text.substring(1).strip().split("\\s+")).contains("-all");
                Matcher header = HEADER.matcher(text);
                if (!header.matches()) {
                    continue;
                }
                String key = header.group(1).toLowerCase(Locale.ROOT);
                String value = header.group(2);
                String where = file + " line " + lineNumber + ": ";
                if (key.equals("time") && epochMillis == null) {
                    epochMillis = parseTime(value, where);
                } else if (key.equals("epochmillis") && epochMillis == null) {
                    epochMillis = parseEpochMillis(value, where);
                } else if (key.equals("kind") && kind == null) {
                    kind = parseKind(value, where);
                }
            }
            if (kind == null) {
                kind = allWord ? HistogramKind.ALL : HistogramKind.LIVE;
            }
            if (epochMillis != null) {
                return new Header(file, epochMillis, false, kind, pid);
            }
            return new Header(file, Files.getLastModifiedTime(file).toMillis(), true, kind, pid);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + Inputs.describe(e), e);
        }
    }

    private static long parseTime(String value, String where) throws InputException {
        try {
            return Instant.parse(value).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new InputException(
                    where + "time '" + value + "' is not an ISO-8601 instant like 2026-11-25T10:15:30Z");
        }
    }

    private static long parseEpochMillis(String value, String where) throws InputException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InputException(where + "epochMillis '" + value + "' is not a whole number of milliseconds");
        }
    }

    private static HistogramKind parseKind(String value, String where) throws InputException {
        try {
            return HistogramKind.fromWireName(value.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InputException(where + "histogram kind '" + value + "' is not one of "
                    + Arrays.stream(HistogramKind.values())
                            .map(HistogramKind::wireName)
                            .collect(Collectors.joining(", ")));
        }
    }

    /** Keeps the histograms of the JVM whose last histogram is newest, when the files name more than one pid. */
    private static List<Header> onePid(List<Header> headers, List<String> warnings) {
        Set<Long> pids = headers.stream()
                .map(Header::pid)
                .filter(pid -> pid != UNKNOWN_PID)
                .collect(Collectors.toSet());
        if (pids.size() < 2) {
            return headers;
        }
        long newestPid = headers.stream()
                .filter(header -> header.pid() != UNKNOWN_PID)
                .reduce((earlier, later) -> later)
                .orElseThrow()
                .pid();
        List<Header> kept = new ArrayList<>();
        Map<String, List<String>> leftOut = new LinkedHashMap<>();
        for (Header header : headers) {
            if (header.pid() == newestPid) {
                kept.add(header);
            } else {
                String who = header.pid() == UNKNOWN_PID ? "no pid line" : "pid " + header.pid();
                leftOut.computeIfAbsent(who, key -> new ArrayList<>())
                        .add(header.file().getFileName().toString());
            }
        }
        warnings.add("the histogram files come from " + pids.size() + " JVMs; analyzing the newest, pid " + newestPid
                + " (" + kept.size() + (kept.size() == 1 ? " file" : " files") + "); left out: "
                + leftOut.entrySet().stream()
                        .map(entry -> entry.getKey() + " (" + String.join(", ", entry.getValue()) + ")")
                        .collect(Collectors.joining("; ")));
        return kept;
    }

    private static Optional<String> timeFromFileWarning(List<Header> headers) {
        List<Header> fromFile = headers.stream().filter(Header::timeFromFile).collect(Collectors.toList());
        if (fromFile.isEmpty()) {
            return Optional.empty();
        }
        String warning = "the time of " + fromFile.size() + " of " + headers.size()
                + " histogram files is their last-modified time (no '# time:' line)";
        Map<Long, Long> filesPerTime =
                fromFile.stream().collect(Collectors.groupingBy(Header::epochMillis, Collectors.counting()));
        long sharing = filesPerTime.values().stream()
                .filter(count -> count > 1)
                .mapToLong(Long::longValue)
                .sum();
        if (sharing > 0) {
            warning += "; " + sharing + " of them share a last-modified time with another file, as copies do: add "
                    + "'# time:' lines for a true time axis";
        }
        return Optional.of(warning);
    }

    /** The file's snapshot, or null when it is skipped (counted in {@code losses}). */
    private static Snapshot readSnapshot(Header header, long sequence, Losses losses) throws InputException {
        String text;
        try {
            if (Files.size(header.file()) > MAX_FILE_BYTES) {
                losses.skip(header.file(), "larger than " + (MAX_FILE_BYTES >> 20) + " MB");
                return null;
            }
            text = new String(Files.readAllBytes(header.file()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("cannot read " + header.file() + ": " + Inputs.describe(e), e);
        }
        ClassHistogram histogram;
        try {
            histogram = JcmdHistogramParser.parse(text, header.kind());
        } catch (JcmdHistogramParser.ImpossibleValueException e) {
            losses.skip(header.file(), Inputs.oneLine(e.getMessage()));
            return null;
        } catch (IllegalArgumentException e) {
            throw new InputException(header.file() + ": " + Inputs.oneLine(e.getMessage()), e);
        }
        Matcher version = JAVA_BASE_VERSION.matcher(text);
        return new Snapshot(
                sequence,
                header.epochMillis(),
                -1,
                header.pid(),
                version.find() ? version.group(1) : "",
                0,
                histogram,
                Optional.empty());
    }
}
