package dev.leakwatch.cli;

import dev.leakwatch.analyzer.analysis.AnalysisSettings;
import dev.leakwatch.analyzer.analysis.LeakAnalyzer;
import dev.leakwatch.analyzer.analysis.ReportTimelines;
import dev.leakwatch.analyzer.analysis.SeriesProvenance;
import dev.leakwatch.analyzer.fleet.FleetGrouping;
import dev.leakwatch.analyzer.report.FleetTextWriter;
import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.analyzer.report.ReportWriter;
import dev.leakwatch.analyzer.report.TerminalSummaryWriter;
import dev.leakwatch.analyzer.report.TerminalText;
import dev.leakwatch.analyzer.report.html.FleetHtmlWriter;
import dev.leakwatch.analyzer.report.html.HtmlReportWriter;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.CommandArguments;
import dev.leakwatch.format.Units;
import dev.leakwatch.format.fleet.FleetJson;
import dev.leakwatch.format.fleet.FleetReport;
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
import java.util.ArrayList;
import java.util.List;

/**
 * {@code analyze DIR... [--format text|json|html|summary] [--out FILE] [--html FILE] [--warmup DURATION]} (several
 * recordings: the fleet view), {@code diff} ({@link DiffCommand}), and {@code --help} and {@code --version}.
 * A user's mistake gets one line on stderr and exit 2; a leak exits 3 so a pipeline can fail on it, and a recording
 * too short for a verdict exits 4 ({@link ExitCode}).
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

    static final List<String> OPTIONS = List.of("--format", "--out", "--html", "--warmup");
    static final List<String> FORMATS = List.of("text", "json", "html", "summary");

    /** The exit statuses as every command's help lists them: README.md, "Exit codes", has the whole table. */
    static final String EXIT_STATUS =
            "exit status: 0 no leak found, 3 leak suspected, 4 not enough data, 2 bad input or usage, 1 internal error";

    static String usage(String program) {
        return String.join(
                "\n",
                "usage: " + program + " analyze PATH... [--format text|json|html|summary] [--out FILE] [--html FILE]",
                "                 [--warmup DURATION]",
                "       " + program + " diff A [B] [--format text|json|html] [--out FILE]   (see: " + program
                        + " diff --help)",
                "       " + program + " --version",
                "",
                "Analyzes a recording offline and prints the leak report.",
                "",
                "  PATH              a directory the agent recorded into (snapshots-*.jsonl.gz), a single segment file,",
                "                    or a directory of text histograms from 'jcmd PID GC.class_histogram' (one file per",
                "                    point in time; time from a '# time: ISO-INSTANT' header or the file's mtime)",
                "                    Several PATHs, or one directory holding one recording per sub-directory, give the",
                "                    fleet view: each leak once by its fingerprint, with the recordings where it appears",
                "                    (text, json or html)",
                "  --format F        text (default), json (the leak-report.json schema, see docs/formats.md), html (one",
                "                    self-contained page with charts and flame graphs), or summary (100 columns, a",
                "                    sparkline per suspect)",
                "  --out FILE        write the report to FILE instead of stdout",
                "  --html FILE       also write the HTML page to FILE; the summary ends with its path",
                "  --warmup D        leave out the first D of the recording (e.g. 30s, 2m); default: until class loading settles",
                "  --help            this text",
                "",
                "Options take their value as --format json or --format=json.",
                "",
                EXIT_STATUS);
    }

    private final PrintStream out;
    private final PrintStream err;
    private final String program;

    AnalyzerCommand(PrintStream out, PrintStream err) {
        this(out, err, Invocation.program());
    }

    /** @param program what the user typed to run us, for the hints: {@code leakwatch} or {@code java -jar ...} */
    AnalyzerCommand(PrintStream out, PrintStream err, String program) {
        this.out = out;
        this.err = err;
        this.program = program;
    }

    int run(String[] args) {
        try {
            return execute(args);
        } catch (UsageException e) {
            err.println("leakwatch: " + TerminalText.safe(e.getMessage()));
            return ExitCode.BAD_INPUT;
        } catch (InputException e) {
            err.println("leakwatch: " + TerminalText.safe(e.getMessage()));
            return ExitCode.BAD_INPUT;
        } catch (IOException e) {
            err.println("leakwatch: cannot write the report: " + TerminalText.safe(e.getMessage()));
            return ExitCode.BAD_INPUT;
        } catch (RuntimeException | OutOfMemoryError e) {
            err.println("leakwatch: internal error (" + TerminalText.safe(String.valueOf(e))
                    + "); please report it with the input that caused it");
            return ExitCode.INTERNAL_ERROR;
        }
    }

    private int execute(String[] args) throws UsageException, InputException, IOException {
        if (args.length == 0) {
            out.println(usage(program));
            return ExitCode.BAD_INPUT;
        }
        String first = args[0];
        if (first.equals("--version") || first.equals("version")) {
            out.println(Invocation.version());
            return ExitCode.NO_LEAK;
        }
        if (first.equals("--help") || first.equals("-h") || first.equals("help")) {
            if (args.length > 1 && args[1].equals("diff")) {
                out.println(DiffCommand.usage(program));
                return ExitCode.NO_LEAK;
            }
            if (args.length > 1 && !args[1].equals("analyze")) {
                throw new UsageException("no help on '" + args[1] + "': the commands here are 'analyze' and 'diff'"
                        + " (see: " + program + " --help)");
            }
            out.println(usage(program));
            return ExitCode.NO_LEAK;
        }
        if (first.equals("diff")) {
            return new DiffCommand(out, program).run(List.of(args).subList(1, args.length));
        }
        if (!first.equals("analyze")) {
            throw new UsageException("unknown command '" + first + "' (the commands are 'analyze' and 'diff'; see: "
                    + program + " --help)");
        }
        String seeHelp = program + " analyze --help";
        CommandArguments arguments = AnalyzerCommand.arguments(List.of(args).subList(1, args.length), OPTIONS, seeHelp);
        if (arguments.help()) {
            out.println(usage(program));
            return ExitCode.NO_LEAK;
        }
        String format = arguments.options().getOrDefault("--format", "text");
        if (!FORMATS.contains(format)) {
            throw new UsageException("--format must be text, json, html or summary, not '" + format + "'");
        }
        Path outFile = arguments.options().containsKey("--out")
                ? path(arguments.options().get("--out"), "--out: ")
                : null;
        Path htmlFile = arguments.options().containsKey("--html")
                ? path(arguments.options().get("--html"), "--html: ")
                : null;
        AnalysisSettings settings = AnalysisSettings.defaults();
        if (arguments.options().containsKey("--warmup")) {
            settings = settings.withWarmup(warmup(arguments.options().get("--warmup")));
        }
        List<String> operands = arguments.operands();
        if (operands.isEmpty()) {
            throw new UsageException("missing PATH: the directory to analyze (see: " + seeHelp + ")");
        }
        checkDirectory(outFile, "--out");
        checkDirectory(htmlFile, "--html");
        List<FleetGrouping.NamedReport> fleet = fleet(operands, settings);
        String rendered;
        int exitCode;
        if (fleet == null) {
            Analyzed analyzed = analyze(path(operands.get(0), ""), settings);
            LeakReport report = analyzed.report();
            ReportTimeline timeline = ReportTimelines.of(analyzed.table(), report);
            if (htmlFile != null) {
                ReportFiles.writeTo(htmlFile, new HtmlReportWriter().render(report, timeline));
            }
            rendered = switch (format) {
                case "html" -> new HtmlReportWriter().render(report, timeline);
                case "summary" ->
                    new TerminalSummaryWriter().render(report, timeline, htmlFile == null ? null : htmlFile.toString());
                default -> ReportWriter.forFormat(format).render(report);
            };
            exitCode = exitCode(report.verdict());
        } else {
            if (format.equals("summary")) {
                throw new UsageException("the fleet view of several recordings is text, json or html; analyze one"
                        + " recording for its summary");
            }
            FleetReport grouped = FleetGrouping.group(fleet, settings.clock());
            if (htmlFile != null) {
                ReportFiles.writeTo(htmlFile, new FleetHtmlWriter().render(grouped));
            }
            rendered = switch (format) {
                case "json" -> FleetJson.write(grouped);
                case "html" -> new FleetHtmlWriter().render(grouped);
                default -> new FleetTextWriter().render(grouped);
            };
            exitCode = fleetExitCode(fleet);
        }
        if (outFile == null) {
            out.print(rendered);
            out.flush();
        } else {
            ReportFiles.writeTo(outFile, rendered);
        }
        return exitCode;
    }

    /** One recording's report, and the table it came from (the HTML page and the summary draw its series). */
    private record Analyzed(LeakReport report, SeriesTable table) {}

    private static Analyzed analyze(Path input, AnalysisSettings settings) throws InputException {
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
        return new Analyzed(report, table);
    }

    /**
     * The fleet view's reports, one per recording, or null for a single recording: several PATHs, or one directory
     * that holds recordings in sub-directories. The recordings are read one at a time, so memory stays that of one.
     */
    private static List<FleetGrouping.NamedReport> fleet(List<String> operands, AnalysisSettings settings)
            throws UsageException, InputException {
        List<String> names = new ArrayList<>();
        List<Path> recordings = new ArrayList<>();
        if (operands.size() == 1) {
            Path parent = path(operands.get(0), "");
            for (Path recording : SeriesReader.recordingsIn(parent)) {
                names.add(recording.getFileName().toString());
                recordings.add(recording);
            }
            if (recordings.isEmpty()) {
                return null;
            }
        } else {
            for (String operand : operands) {
                if (names.contains(operand)) {
                    throw new UsageException("'" + operand + "' is given twice");
                }
                names.add(operand);
                recordings.add(path(operand, ""));
            }
        }
        List<FleetGrouping.NamedReport> reports = new ArrayList<>();
        for (int i = 0; i < recordings.size(); i++) {
            reports.add(new FleetGrouping.NamedReport(
                    names.get(i), analyze(recordings.get(i), settings).report()));
        }
        return reports;
    }

    /** A leak anywhere is a leak; not enough data only when no recording had enough. */
    static int fleetExitCode(List<FleetGrouping.NamedReport> reports) {
        boolean allTooShort = true;
        for (FleetGrouping.NamedReport named : reports) {
            Verdict verdict = named.report().verdict();
            if (verdict == Verdict.LEAK_SUSPECTED) {
                return ExitCode.LEAK_FOUND;
            }
            allTooShort &= verdict == Verdict.NOT_ENOUGH_DATA;
        }
        return allTooShort ? ExitCode.NOT_ENOUGH_DATA : ExitCode.NO_LEAK;
    }

    /** The status a script acts on; the same numbers as {@code report PID} of the attach client. */
    static int exitCode(Verdict verdict) {
        return switch (verdict) {
            case LEAK_SUSPECTED -> ExitCode.LEAK_FOUND;
            case NOT_ENOUGH_DATA -> ExitCode.NOT_ENOUGH_DATA;
            case NO_LEAK_FOUND -> ExitCode.NO_LEAK;
        };
    }

    static void checkDirectory(Path file, String option) throws UsageException {
        if (file != null
                && file.getParent() != null
                && !Files.isDirectory(file.toAbsolutePath().getParent())) {
            throw new UsageException(
                    option + ": directory " + file.toAbsolutePath().getParent() + " does not exist");
        }
    }

    static Path path(String text, String option) throws UsageException {
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

    /** A command's arguments ({@link CommandArguments}), a mistake as a {@link UsageException}. */
    static CommandArguments arguments(List<String> args, List<String> known, String seeHelp) throws UsageException {
        try {
            return CommandArguments.parse(args, known, seeHelp);
        } catch (CommandArguments.UsageError mistake) {
            throw new UsageException(mistake.getMessage());
        }
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
