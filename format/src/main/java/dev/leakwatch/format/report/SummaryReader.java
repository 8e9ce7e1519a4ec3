package dev.leakwatch.format.report;

import static dev.leakwatch.format.report.RecordFields.isNull;
import static dev.leakwatch.format.report.RefusedReportException.mismatch;
import static dev.leakwatch.format.report.ScalarConversions.booleanValue;
import static dev.leakwatch.format.report.ScalarConversions.boxedDouble;
import static dev.leakwatch.format.report.ScalarConversions.boxedInteger;
import static dev.leakwatch.format.report.ScalarConversions.boxedLong;
import static dev.leakwatch.format.report.ScalarConversions.doubleValue;
import static dev.leakwatch.format.report.ScalarConversions.intValue;
import static dev.leakwatch.format.report.ScalarConversions.longValue;
import static dev.leakwatch.format.report.ScalarConversions.string;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the report says was measured: its {@code heap} ({@link HeapSummary}) and {@code snapshots}
 * ({@link SnapshotSummary}) sections, each read as {@link JsonReportReader} reads a record.
 */
final class SummaryReader {
    private SummaryReader() {}

    static HeapSummary heap(JsonParser p) throws IOException {
        if (isNull(p, HeapSummary.class)) {
            return null;
        }
        String liveSetSource = null;
        long liveBytesNow = 0;
        long liveBytesAtStart = 0;
        long maxHeapBytes = 0;
        double growthBytesPerMinute = 0;
        double confidence = 0;
        boolean growing = false;
        Double minutesToExhaustion = null;
        String projectedExhaustionAt = null;
        String summary = null;
        RecordFields fields = new RecordFields(p, HeapSummary.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "liveSetSource" -> liveSetSource = string(p);
                case "liveBytesNow" -> liveBytesNow = longValue(p);
                case "liveBytesAtStart" -> liveBytesAtStart = longValue(p);
                case "maxHeapBytes" -> maxHeapBytes = longValue(p);
                case "growthBytesPerMinute" -> growthBytesPerMinute = doubleValue(p);
                case "confidence" -> confidence = doubleValue(p);
                case "growing" -> growing = booleanValue(p);
                case "minutesToExhaustion" -> minutesToExhaustion = boxedDouble(p);
                case "projectedExhaustionAt" -> projectedExhaustionAt = string(p);
                case "summary" -> summary = string(p);
                default -> throw fields.unknown();
            }
        }
        return new HeapSummary(
                liveSetSource,
                liveBytesNow,
                liveBytesAtStart,
                maxHeapBytes,
                growthBytesPerMinute,
                confidence,
                growing,
                minutesToExhaustion,
                projectedExhaustionAt,
                summary);
    }

    static SnapshotSummary snapshots(JsonParser p) throws IOException {
        if (isNull(p, SnapshotSummary.class)) {
            return null;
        }
        int count = 0;
        long recordsRead = 0;
        long skippedRecords = 0;
        String first = null;
        String last = null;
        double spanSeconds = 0;
        Map<String, Integer> histogramKinds = null;
        double warmupSeconds = 0;
        String warmupRule = null;
        int analysedPoints = 0;
        Long pid = null;
        String jvm = null;
        RecordFields fields = new RecordFields(p, SnapshotSummary.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "count" -> count = intValue(p);
                case "recordsRead" -> recordsRead = longValue(p);
                case "skippedRecords" -> skippedRecords = longValue(p);
                case "first" -> first = string(p);
                case "last" -> last = string(p);
                case "spanSeconds" -> spanSeconds = doubleValue(p);
                case "histogramKinds" -> histogramKinds = counts(p);
                case "warmupSeconds" -> warmupSeconds = doubleValue(p);
                case "warmupRule" -> warmupRule = string(p);
                case "analysedPoints" -> analysedPoints = intValue(p);
                case "pid" -> pid = boxedLong(p);
                case "jvm" -> jvm = string(p);
                default -> throw fields.unknown();
            }
        }
        return new SnapshotSummary(
                count,
                recordsRead,
                skippedRecords,
                first,
                last,
                spanSeconds,
                histogramKinds,
                warmupSeconds,
                warmupRule,
                analysedPoints,
                pid,
                jvm);
    }

    /** {@code histogramKinds}: counts by name, the last of a repeated name counting. */
    private static Map<String, Integer> counts(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw mismatch(p, Map.class);
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_OBJECT) {
            String name = p.currentName();
            p.nextToken();
            counts.put(name, boxedInteger(p));
        }
        return counts;
    }
}
