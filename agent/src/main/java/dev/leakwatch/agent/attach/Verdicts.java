package dev.leakwatch.agent.attach;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.leakwatch.analyzer.report.ReportWriter;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.report.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/** The verdict of a report as the agent rendered it, for the exit status of {@code report PID}. */
final class Verdicts {
    /** The file the agent's live report writes beside the snapshots; the analyzer's writer owns the name. */
    static final String JSON_REPORT = ReportWriter.forFormat("json").fileName();

    /** How the text report starts: {@code leakwatch report: VERDICT. summary} ({@code TextReportWriter}). */
    private static final String TEXT_START = "leakwatch report: ";

    private Verdicts() {}

    static Optional<Verdict> ofTextReport(String report) {
        if (!report.startsWith(TEXT_START)) {
            return Optional.empty();
        }
        int end = report.indexOf('.', TEXT_START.length());
        return end < 0 ? Optional.empty() : Verdict.fromWireName(report.substring(TEXT_START.length(), end));
    }

    /**
     * The newest {@code leak-report.json} in a recording directory (this user's own), or empty when there is none
     * yet, it is not a regular file (a link is never followed), or it cannot be read as a report.
     */
    static Optional<LeakReport> newestReport(Path recording) {
        Path file = recording.resolve(JSON_REPORT);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.ofNullable(ReportJson.read(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<Verdict> ofJsonReport(String json) {
        try {
            return Optional.ofNullable(ReportJson.read(json)).map(report -> report.verdict());
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
