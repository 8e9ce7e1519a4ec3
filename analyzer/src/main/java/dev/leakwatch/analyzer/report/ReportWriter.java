package dev.leakwatch.analyzer.report;

import dev.leakwatch.format.report.LeakReport;

/** Renders a report in one format. One implementation per format; the CLI and the agent pick by name. */
public interface ReportWriter {
    /** The format's name as users type it ({@code --format json}). */
    String formatName();

    /** The file name the agent keeps this format under in its output directory. */
    String fileName();

    String render(LeakReport report);

    static ReportWriter forFormat(String name) {
        return switch (name) {
            case "json" -> new JsonReportWriter();
            case "text" -> new TextReportWriter();
            default -> throw new IllegalArgumentException("unknown report format '" + name + "' (use text or json)");
        };
    }
}
