package dev.leakwatch.analyzer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** {@code leak-report.json}: the report record as JSON, field for field; the schema is in {@code docs/formats.md}. */
public final class JsonReportWriter implements ReportWriter {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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
        try {
            return MAPPER.writeValueAsString(report) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("report records always serialize: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads a report written by this writer (tests, and tools that post-process reports). */
    public static LeakReport parse(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, LeakReport.class);
    }
}
