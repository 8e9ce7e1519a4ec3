package dev.leakwatch.format.report;

import static dev.leakwatch.format.report.EnumConversions.sampler;
import static dev.leakwatch.format.report.EnumConversions.writing;
import static dev.leakwatch.format.report.RecordFields.isNull;
import static dev.leakwatch.format.report.ScalarConversions.boxedLong;
import static dev.leakwatch.format.report.ScalarConversions.doubleValue;
import static dev.leakwatch.format.report.ScalarConversions.longValue;
import static dev.leakwatch.format.report.ScalarConversions.string;

import com.fasterxml.jackson.core.JsonParser;
import dev.leakwatch.format.model.AllocationSampler;
import java.io.IOException;

/**
 * The report's {@code agent} section ({@link AgentSummary}, with its allocation tracking and recording), each record
 * read as {@link JsonReportReader} reads one.
 */
final class AgentSummaryReader {
    private AgentSummaryReader() {}

    static AgentSummary agent(JsonParser p) throws IOException {
        if (isNull(p, AgentSummary.class)) {
            return null;
        }
        double snapshotSecondsTotal = 0;
        double overheadPercent = 0;
        long lastSnapshotMillis = 0;
        String histogramMode = null;
        Long suppressedErrors = null;
        String note = null;
        AgentSummary.AllocationTracking allocationTracking = null;
        AgentSummary.Recording recording = null;
        String version = null;
        RecordFields fields = new RecordFields(p, AgentSummary.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "snapshotSecondsTotal" -> snapshotSecondsTotal = doubleValue(p);
                case "overheadPercent" -> overheadPercent = doubleValue(p);
                case "lastSnapshotMillis" -> lastSnapshotMillis = longValue(p);
                case "histogramMode" -> histogramMode = string(p);
                case "suppressedErrors" -> suppressedErrors = boxedLong(p);
                case "note" -> note = string(p);
                case "allocationTracking" -> allocationTracking = allocationTracking(p);
                case "recording" -> recording = recording(p);
                case "version" -> version = string(p);
                default -> throw fields.unknown();
            }
        }
        return new AgentSummary(
                snapshotSecondsTotal,
                overheadPercent,
                lastSnapshotMillis,
                histogramMode,
                suppressedErrors,
                note,
                allocationTracking,
                recording,
                version);
    }

    private static AgentSummary.AllocationTracking allocationTracking(JsonParser p) throws IOException {
        if (isNull(p, AgentSummary.AllocationTracking.class)) {
            return null;
        }
        AllocationSampler sampler = AllocationSampler.INSTRUMENTATION; // schema 2 and older: nothing else existed
        long samplingInterval = 0;
        long trackedSamples = 0;
        long capacity = 0;
        long evictedSamples = 0;
        Long instrumentedClasses = null;
        Long instrumentedSites = null;
        Long failedClasses = null;
        RecordFields fields = new RecordFields(p, AgentSummary.AllocationTracking.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "sampler" -> sampler = sampler(p);
                case "samplingInterval" -> samplingInterval = longValue(p);
                case "trackedSamples" -> trackedSamples = longValue(p);
                case "capacity" -> capacity = longValue(p);
                case "evictedSamples" -> evictedSamples = longValue(p);
                case "instrumentedClasses" -> instrumentedClasses = boxedLong(p);
                case "instrumentedSites" -> instrumentedSites = boxedLong(p);
                case "failedClasses" -> failedClasses = boxedLong(p);
                default -> throw fields.unknown();
            }
        }
        return new AgentSummary.AllocationTracking(
                sampler,
                samplingInterval,
                trackedSamples,
                capacity,
                evictedSamples,
                instrumentedClasses,
                instrumentedSites,
                failedClasses);
    }

    private static AgentSummary.Recording recording(JsonParser p) throws IOException {
        if (isNull(p, AgentSummary.Recording.class)) {
            return null;
        }
        long snapshotsTaken = 0;
        long snapshotsSaved = 0;
        AgentSummary.Writing writing = null;
        String problem = null;
        RecordFields fields = new RecordFields(p, AgentSummary.Recording.class);
        for (String field = fields.next(); field != null; field = fields.next()) {
            switch (field) {
                case "snapshotsTaken" -> snapshotsTaken = longValue(p);
                case "snapshotsSaved" -> snapshotsSaved = longValue(p);
                case "writing" -> writing = writing(p);
                case "problem" -> problem = string(p);
                default -> throw fields.unknown();
            }
        }
        return new AgentSummary.Recording(snapshotsTaken, snapshotsSaved, writing, problem);
    }
}
