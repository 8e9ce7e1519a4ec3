package dev.leakwatch.agent.attach;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.leakwatch.analyzer.report.ReportWriter;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.report.Verdict;
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

    static Optional<Verdict> ofJsonReport(String json) {
        try {
            return Optional.ofNullable(ReportJson.read(json)).map(report -> report.verdict());
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The verdict and summary in the agent's status, from its line {@code report: VERDICT: summary} (or
     * {@code report: none yet}).
     */
    static Optional<String[]> ofStatus(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("report: ")) {
                String rest = line.substring("report: ".length());
                int colon = rest.indexOf(": ");
                String name = colon < 0 ? rest : rest.substring(0, colon);
                if (Verdict.fromWireName(name).isPresent()) {
                    return Optional.of(new String[] {name, colon < 0 ? "" : rest.substring(colon + 2)});
                }
            }
        }
        return Optional.empty();
    }
}
