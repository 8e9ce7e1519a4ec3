package dev.leakwatch.cli;

import dev.leakwatch.analyzer.analysis.AnalysisSettings;
import dev.leakwatch.analyzer.analysis.LeakAnalyzer;
import dev.leakwatch.analyzer.analysis.SeriesProvenance;
import dev.leakwatch.analyzer.report.ReportWriter;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.Units;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Verdict;
import dev.leakwatch.format.segment.InputException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code analyze DIR [--format text|json] [--out FILE] [--warmup DURATION]}. A user's mistake gets one line on
 * stderr and exit 2; a leak exits 3 so a pipeline can fail on it.
 */
final class AnalyzerCommand {
    /** Points read from a recording: thinned evenly beyond this, which keeps memory flat for day-long recordings. */
    static final int READ_POINTS = 2048;
    /** Points the trend statistics look at: their cost grows with the square of this. */
    static final int ANALYSIS_POINTS = 256;
    /**
     * The longest warm-up accepted: longer than any recording, and short enough that the analysis can add it to a
     * time in milliseconds (a --warmup of 99999999999999h overflows it, issue 11).
     */
    static final Duration MAX_WARMUP = Duration.ofDays(3650);

    static final String USAGE = String.join(
            "\n",
            "usage: leakwatch-analyzer analyze PATH [--format text|json] [--out FILE] [--warmup DURATION]",
            "",
            "  PATH              a directory the agent recorded into (snapshots-*.jsonl.gz), a single segment file,",
            "                    or a directory of text histograms from 'jcmd PID GC.class_histogram' (one file per",
            "                    point in time; time from a '# time: ISO-INSTANT' header or the file's mtime)",
            "  --format          text (default) or json (the leak-report.json schema, see docs/formats.md)",
            "  --out FILE        write the report to FILE instead of stdout",
            "  --warmup D        leave out the first D of the recording (e.g. 30s, 2m); default: until class loading settles",
            "",
            "exit status: 0 no leak found, 3 leak suspected, 2 bad input, 1 internal error");

    private final PrintStream out;
    private final PrintStream err;

    AnalyzerCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        try {
            return execute(args);
        } catch (UsageException e) {
            err.println("leakwatch-analyzer: " + oneLine(e.getMessage()));
            return ExitCode.BAD_INPUT;
        } catch (InputException e) {
            err.println("leakwatch-analyzer: " + oneLine(e.getMessage()));
            return ExitCode.BAD_INPUT;
        } catch (IOException e) {
            err.println("leakwatch-analyzer: cannot write the report: " + oneLine(e.getMessage()));
            return ExitCode.BAD_INPUT;
        } catch (RuntimeException | OutOfMemoryError e) {
            err.println(
                    "leakwatch-analyzer: internal error (" + e + "); please report it with the input that caused it");
            return ExitCode.INTERNAL_ERROR;
        }
    }

    private int execute(String[] args) throws UsageException, InputException, IOException {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.println(USAGE);
            return args.length == 0 ? ExitCode.BAD_INPUT : ExitCode.NO_LEAK;
        }
        if (!args[0].equals("analyze")) {
            throw new UsageException("unknown command '" + args[0] + "' (the command is 'analyze'; see --help)");
        }
        Path input = null;
        String format = "text";
        Path outFile = null;
        AnalysisSettings settings = AnalysisSettings.defaults();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--format" -> {
                    format = value(args, ++i, arg);
                    if (!format.equals("text") && !format.equals("json")) {
                        throw new UsageException("--format must be text or json, not '" + format + "'");
                    }
                }
                case "--out" -> outFile = path(value(args, ++i, arg), "--out: ");
                case "--warmup" -> settings = settings.withWarmup(warmup(value(args, ++i, arg)));
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option '" + arg + "' (see --help)");
                    }
                    if (input != null) {
                        throw new UsageException("one PATH only, got '" + input + "' and '" + arg + "'");
                    }
                    input = path(arg, "");
                }
            }
        }
        if (input == null) {
            throw new UsageException("missing PATH: the directory to analyze (see --help)");
        }
        if (outFile != null
                && outFile.getParent() != null
                && !Files.isDirectory(outFile.toAbsolutePath().getParent())) {
            throw new UsageException(
                    "--out: directory " + outFile.toAbsolutePath().getParent() + " does not exist");
        }
        SnapshotSeries series = SeriesReader.read(input, READ_POINTS);
        SeriesTable table = SeriesTable.of(series, ANALYSIS_POINTS);
        LeakReport report = new LeakAnalyzer()
                .analyze(
                        table,
                        new SeriesProvenance(
                                series.source(),
                                series.recordsRead(),
                                series.skippedRecords(),
                                series.warnings(),
                                null),
                        settings);
        String rendered = ReportWriter.forFormat(format).render(report);
        if (outFile == null) {
            out.print(rendered);
            out.flush();
        } else {
            ReportFiles.writeTo(outFile, rendered);
        }
        return report.verdict() == Verdict.LEAK_SUSPECTED ? ExitCode.LEAK_FOUND : ExitCode.NO_LEAK;
    }

    /**
     * The message with control characters escaped: messages quote what the user typed, and an argument or file name
     * holding a line break would make the one line of an error two ({@code CommandLineFuzzTest}).
     */
    private static String oneLine(String message) {
        StringBuilder line = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                line.append(String.format("\\u%04x", c));
            } else {
                line.appendCodePoint(c);
            }
        });
        return line.toString();
    }

    private static Path path(String text, String option) throws UsageException {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new UsageException(option + "'" + text + "' is not a path here (" + e.getReason() + ")");
        }
    }

    private static Duration warmup(String text) throws UsageException {
        Duration warmup;
        try {
            warmup = Units.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--warmup: " + e.getMessage());
        }
        if (warmup.compareTo(MAX_WARMUP) > 0) {
            throw new UsageException("--warmup: '" + text + "' is longer than any recording (at most "
                    + Units.formatDuration(MAX_WARMUP) + ")");
        }
        return warmup;
    }

    private static String value(String[] args, int index, String option) throws UsageException {
        if (index >= args.length) {
            throw new UsageException(option + " needs a value (see --help)");
        }
        return args[index];
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
