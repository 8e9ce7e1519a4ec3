package dev.leakwatch.format.report;

import static dev.leakwatch.format.report.EnumConversions.verdict;
import static dev.leakwatch.format.report.RecordFields.isNull;
import static dev.leakwatch.format.report.RefusedReportException.notConstructed;
import static dev.leakwatch.format.report.RefusedReportException.refused;
import static dev.leakwatch.format.report.ScalarConversions.intValue;
import static dev.leakwatch.format.report.ScalarConversions.string;
import static dev.leakwatch.format.report.ValueReader.list;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Reads {@code leak-report.json} back into a {@link LeakReport} ({@link ReportJson#read}) with Jackson's
 * streaming parser, field for field into the report records.
 *
 * <p>It accepts and refuses what Jackson's data binding did when it read reports here (its default configuration,
 * enums in any case, samplers by wire name), so that the tools reading stored reports see no difference;
 * {@code JsonReportReaderTest} holds the two side by side. In short:
 * <ul>
 *   <li>A field the records do not have is refused. So is any field after an object has given every component of
 *       its record (data binding built the record at that point); before that, a repeated field's last value counts.
 *   <li>A field left out is null, 0 or false, except {@code sampler}: reports of schema 2 and older were all sampled
 *       by instrumentation. A list left out, or holding a null, is refused: the records copy their lists. Except an
 *       allocation site's {@code allocatedTypes} and {@code paths}, which schema 4 and older lack: such a site reads
 *       as the one path it was ({@link AllocationSite}'s constructor says so, for both readers).
 *   <li>Scalars convert as data binding converts them: a number from a string ({@code "12"}, trimmed), and an empty
 *       or blank string or {@code "null"} as no number (null, or 0 for a primitive); a number with a fraction cut to
 *       the whole number, if that fits; a number or boolean as its text where a string is expected; a whole number
 *       as a boolean (non-zero is true); an enum constant by its name in any case, or by its index.
 *   <li>Nothing after the report's object is read; {@code null} alone reads as no report.
 * </ul>
 *
 * <p>Each record is read the same way: its components' defaults, then its fields in any order
 * ({@link RecordFields}), then its constructor. This class reads the report's top level; {@link FindingReader},
 * {@link SummaryReader} and {@link AgentSummaryReader} read its sections, {@link ScalarConversions} and
 * {@link EnumConversions} its values, and every refusal is a {@link RefusedReportException}.
 */
final class JsonReportReader {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonReportReader() {}

    static LeakReport read(String json) throws JsonProcessingException {
        if (json == null) {
            throw new IllegalArgumentException("argument \"content\" is null");
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() == null) {
                throw refused(p, "No content to map due to end-of-input");
            }
            return report(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string fails only as JSON", e);
        }
    }

    private static LeakReport report(JsonParser p) throws IOException {
        if (isNull(p, LeakReport.class)) {
            return null;
        }
        int schemaVersion = 0;
        String generatedAt = null;
        String source = null;
        Verdict verdict = null;
        String summary = null;
        List<Suspect> suspects = null;
        List<Suspect> candidates = null;
        List<GaugeFinding> findings = null;
        HeapSummary heap = null;
        SnapshotSummary snapshots = null;
        AgentSummary agent = null;
        List<String> warnings = null;
        RecordFields fields = new RecordFields(p, LeakReport.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "schemaVersion" -> schemaVersion = intValue(p);
                case "generatedAt" -> generatedAt = string(p);
                case "source" -> source = string(p);
                case "verdict" -> verdict = verdict(p);
                case "summary" -> summary = string(p);
                case "suspects" -> suspects = list(p, FindingReader::suspect);
                case "candidates" -> candidates = list(p, FindingReader::suspect);
                case "findings" -> findings = list(p, FindingReader::finding);
                case "heap" -> heap = SummaryReader.heap(p);
                case "snapshots" -> snapshots = SummaryReader.snapshots(p);
                case "agent" -> agent = AgentSummaryReader.agent(p);
                case "warnings" -> warnings = list(p, ScalarConversions::string);
                default -> throw fields.unknown();
            }
        }
        try {
            return new LeakReport(
                    schemaVersion,
                    generatedAt,
                    source,
                    verdict,
                    summary,
                    suspects,
                    candidates,
                    findings,
                    heap,
                    snapshots,
                    agent,
                    warnings);
        } catch (RuntimeException e) {
            throw notConstructed(p, LeakReport.class, e);
        }
    }
}
