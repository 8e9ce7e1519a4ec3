package dev.leakwatch.analyzer.report;

import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.ReportJson;

/** {@code leak-report.json}, in the schema the format module owns ({@link ReportJson}). */
public final class JsonReportWriter implements ReportWriter {
    @Override
    public String formatName() {
        return "json";
    }

    @Override
    public String fileName() {
        return "leak-report.json";
    }

    @Override
    public String render(LeakReport report) {
        return ReportJson.write(report);
    }
}
