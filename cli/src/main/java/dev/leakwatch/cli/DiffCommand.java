package dev.leakwatch.cli;

import dev.leakwatch.analyzer.analysis.HistogramDiffs;
import dev.leakwatch.analyzer.report.DiffTextWriter;
import dev.leakwatch.analyzer.report.html.HtmlDiffWriter;
import dev.leakwatch.format.CommandArguments;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.report.DiffJson;
import dev.leakwatch.format.report.HistogramDiff;
import dev.leakwatch.format.segment.InputException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code diff A [B] [--format text|json|html] [--out FILE]}: what changed, class by class, between two histograms, as
 * people compare before and after a test. Each side is a {@code jcmd GC.class_histogram} text file, or a recording
 * (its directory or one segment file), which stands for its newest snapshot; a single recording compares its first
 * snapshot with its newest. Exits 0, or 2 on bad input, like {@code analyze}.
 */
final class DiffCommand {
    static final List<String> OPTIONS = List.of("--format", "--out");
    static final List<String> FORMATS = List.of("text", "json", "html");

    static String usage(String program) {
        return String.join(
                "\n",
                "usage: " + program + " diff A [B] [--format text|json|html] [--out FILE]",
                "",
                "Compares two class histograms and lists the classes that changed, the largest change of bytes first.",
                "",
                "  A, B              each a text file from 'jcmd PID GC.class_histogram' (or jmap -histo), or a",
                "                    recording (the agent's directory or one snapshots-NNNNNN.jsonl.gz), which stands",
                "                    for its newest snapshot; with A alone, a recording's first snapshot against its newest",
                "  --format F        text (default, the 40 largest changes), json (every class; docs/formats.md) or",
                "                    html (one self-contained page, a sortable table)",
                "  --out FILE        write to FILE instead of stdout",
                "  --help            this text",
                "",
                "exit status: 0 compared, 2 bad input or usage, 1 internal error");
    }

    private final PrintStream out;
    private final String program;

    DiffCommand(PrintStream out, String program) {
        this.out = out;
        this.program = program;
    }

    /** Errors are thrown for {@link AnalyzerCommand#run} to report in one line, as the analyze command's are. */
    int run(List<String> args) throws AnalyzerCommand.UsageException, InputException, IOException {
        String seeHelp = program + " diff --help";
        CommandArguments arguments = AnalyzerCommand.arguments(args, OPTIONS, seeHelp);
        if (arguments.help()) {
            out.println(usage(program));
            return ExitCode.NO_LEAK;
        }
        String format = arguments.options().getOrDefault("--format", "text");
        if (!FORMATS.contains(format)) {
            throw new AnalyzerCommand.UsageException("--format must be text, json or html, not '" + format + "'");
        }
        Path outFile = arguments.options().containsKey("--out")
                ? AnalyzerCommand.path(arguments.options().get("--out"), "--out: ")
                : null;
        AnalyzerCommand.checkDirectory(outFile, "--out");
        List<String> operands = arguments.operands();
        if (operands.isEmpty() || operands.size() > 2) {
            throw new AnalyzerCommand.UsageException("diff takes one recording, or two histograms or recordings; got "
                    + operands.size() + " (see: " + seeHelp + ")");
        }
        HistogramDiff diff =
                operands.size() == 1 ? withinOne(operands.get(0)) : between(operands.get(0), operands.get(1));
        String rendered = switch (format) {
            case "json" -> DiffJson.write(diff);
            case "html" -> new HtmlDiffWriter().render(diff);
            default -> new DiffTextWriter().render(diff);
        };
        if (outFile == null) {
            out.print(rendered);
            out.flush();
        } else {
            ReportFiles.writeTo(outFile, rendered);
        }
        return ExitCode.NO_LEAK;
    }

    private static HistogramDiff withinOne(String operand) throws AnalyzerCommand.UsageException, InputException {
        SnapshotSeries series = read(operand);
        if (series.size() < 2) {
            throw new InputException(
                    operand + " holds one snapshot; give a second histogram or recording to compare" + " it with");
        }
        return HistogramDiffs.between(
                operand + " (first snapshot)", series.first(), operand + " (newest snapshot)", series.last());
    }

    private static HistogramDiff between(String first, String second)
            throws AnalyzerCommand.UsageException, InputException {
        Snapshot before = read(first).last();
        Snapshot after = read(second).last();
        return HistogramDiffs.between(first, before, second, after);
    }

    /** A recording through {@link SeriesReader}; any other regular file as one jcmd histogram. */
    private static SnapshotSeries read(String operand) throws AnalyzerCommand.UsageException, InputException {
        Path path = AnalyzerCommand.path(operand, "");
        SnapshotSeries series = Files.isRegularFile(path) && !SeriesReader.isSegmentFile(path)
                ? new HistogramFilesReader(AnalyzerCommand.READ_POINTS).readFiles(List.of(path))
                : SeriesReader.read(path, AnalyzerCommand.READ_POINTS);
        if (series.isEmpty()) {
            throw new InputException("no snapshot in " + operand);
        }
        return series;
    }
}
