package dev.leakwatch.format.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code leak-report.json}, both ways: the report record as JSON, field for field, in the order of the schema in
 * {@code docs/formats.md} ({@link LeakReport#SCHEMA_VERSION}), and back.
 *
 * <p>Written field by field with Jackson's streaming generator rather than by data binding: the agent renders this
 * report inside the host JVM, where data binding loads about 430 classes (introspection, serializers, reflection
 * accessors) and costs about 0.4 CPU seconds at start-up, and where its reflective getter calls make Java 17 generate
 * an accessor class per getter after 15 calls, classes that show up in the host's own histograms
 * ({@code AgentFootprintIT} fails on any data-binding class the agent loads). Reading back
 * ({@link #read}) streams too ({@link JsonReportReader}), so that the analyzer needs only Jackson's core.
 */
public final class ReportJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ReportJson() {}

    /** The report as pretty-printed JSON, ending in a newline. */
    public static String write(LeakReport report) {
        StringWriter out = new StringWriter(8192);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            writeReport(json, report);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.append('\n').toString();
    }

    /**
     * Reads a report written by this writer (tests, and tools that post-process reports); null for the JSON text
     * {@code null}.
     */
    public static LeakReport read(String json) throws JsonProcessingException {
        return JsonReportReader.read(json);
    }

    private static void writeReport(JsonGenerator json, LeakReport report) throws IOException {
        json.writeStartObject();
        json.writeNumberField("schemaVersion", report.schemaVersion());
        writeString(json, "generatedAt", report.generatedAt());
        writeString(json, "source", report.source());
        writeString(
                json,
                "verdict",
                report.verdict() == null ? null : report.verdict().wireName());
        writeString(json, "summary", report.summary());
        json.writeArrayFieldStart("suspects");
        for (Suspect suspect : report.suspects()) {
            writeSuspect(json, suspect);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("candidates");
        for (Suspect candidate : report.candidates()) {
            writeSuspect(json, candidate);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("findings");
        for (GaugeFinding finding : report.findings()) {
            writeFinding(json, finding);
        }
        json.writeEndArray();
        json.writeFieldName("heap");
        writeHeap(json, report.heap());
        json.writeFieldName("snapshots");
        writeSnapshots(json, report.snapshots());
        json.writeFieldName("agent");
        writeAgent(json, report.agent());
        writeStrings(json, "warnings", report.warnings());
        json.writeEndObject();
    }

    private static void writeSuspect(JsonGenerator json, Suspect suspect) throws IOException {
        json.writeStartObject();
        json.writeNumberField("rank", suspect.rank());
        writeString(json, "className", suspect.className());
        writeString(json, "fingerprint", suspect.fingerprint());
        json.writeNumberField("confidence", suspect.confidence());
        writeString(
                json,
                "severity",
                suspect.severity() == null ? null : suspect.severity().wireName());
        json.writeNumberField("growthBytesPerMinute", suspect.growthBytesPerMinute());
        json.writeNumberField("growthInstancesPerMinute", suspect.growthInstancesPerMinute());
        json.writeNumberField("liveBytes", suspect.liveBytes());
        json.writeNumberField("liveInstances", suspect.liveInstances());
        writeString(json, "firstSeenGrowing", suspect.firstSeenGrowing());
        writeString(json, "summary", suspect.summary());
        writeString(json, "explanation", suspect.explanation());
        json.writeFieldName("evidence");
        writeEvidence(json, suspect.evidence());
        json.writeArrayFieldStart("relatedClasses");
        for (RelatedClass related : suspect.relatedClasses()) {
            json.writeStartObject();
            writeString(json, "className", related.className());
            json.writeNumberField("growthBytesPerMinute", related.growthBytesPerMinute());
            json.writeNumberField("liveBytes", related.liveBytes());
            json.writeNumberField("liveInstances", related.liveInstances());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("allocationSites");
        for (AllocationSite site : suspect.allocationSites()) {
            writeSite(json, site);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("retainedBy");
        for (RetentionChain chain : suspect.retainedBy()) {
            writeChain(json, chain);
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeChain(JsonGenerator json, RetentionChain chain) throws IOException {
        json.writeStartObject();
        writeString(json, "rootKind", chain.rootKind());
        writeString(json, "root", chain.root());
        writeStrings(json, "chain", chain.chain());
        json.writeFieldName("container");
        RetentionChain.Container container = chain.container();
        if (container == null) {
            json.writeNull();
        } else {
            json.writeStartObject();
            writeString(json, "className", container.className());
            writeString(json, "field", container.field());
            json.writeNumberField("chainIndex", container.chainIndex());
            json.writeFieldName("growthEntriesPerMinute");
            if (container.growthEntriesPerMinute() == null) {
                json.writeNull();
            } else {
                json.writeNumber(container.growthEntriesPerMinute());
            }
            json.writeEndObject();
        }
        json.writeNumberField("objects", chain.objects());
        json.writeEndObject();
    }

    private static void writeEvidence(JsonGenerator json, Suspect.Evidence evidence) throws IOException {
        if (evidence == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeNumberField("points", evidence.points());
        json.writeNumberField("windowMinutes", evidence.windowMinutes());
        json.writeNumberField("mannKendallZ", evidence.mannKendallZ());
        json.writeNumberField("pValue", evidence.pValue());
        json.writeNumberField("kendallTau", evidence.kendallTau());
        json.writeNumberField("recentGrowthBytesPerMinute", evidence.recentGrowthBytesPerMinute());
        json.writeNumberField("growthPercentOfStart", evidence.growthPercentOfStart());
        json.writeEndObject();
    }

    private static void writeSite(JsonGenerator json, AllocationSite site) throws IOException {
        json.writeStartObject();
        writeStrings(json, "frames", site.frames());
        writeString(json, "allocatedType", site.allocatedType());
        writeStrings(json, "allocatedTypes", site.allocatedTypes());
        json.writeNumberField("paths", site.paths());
        json.writeNumberField("share", site.share());
        json.writeNumberField("growthBytesPerMinute", site.growthBytesPerMinute());
        json.writeNumberField("estimatedLiveBytes", site.estimatedLiveBytes());
        json.writeNumberField("liveSamples", site.liveSamples());
        json.writeNumberField("distinctEpochs", site.distinctEpochs());
        json.writeNumberField("oldestAgeSeconds", site.oldestAgeSeconds());
        json.writeNumberField("firstNonJdkFrame", site.firstNonJdkFrame());
        json.writeNumberField("firstApplicationFrame", site.firstApplicationFrame());
        json.writeEndObject();
    }

    private static void writeFinding(JsonGenerator json, GaugeFinding finding) throws IOException {
        json.writeStartObject();
        writeString(json, "kind", finding.kind());
        json.writeNumberField("confidence", finding.confidence());
        json.writeNumberField("growthPerMinute", finding.growthPerMinute());
        json.writeNumberField("current", finding.current());
        writeString(json, "unit", finding.unit());
        writeString(json, "summary", finding.summary());
        writeString(json, "explanation", finding.explanation());
        writeString(json, "fingerprint", finding.fingerprint());
        json.writeEndObject();
    }

    private static void writeHeap(JsonGenerator json, HeapSummary heap) throws IOException {
        if (heap == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        writeString(json, "liveSetSource", heap.liveSetSource());
        json.writeNumberField("liveBytesNow", heap.liveBytesNow());
        json.writeNumberField("liveBytesAtStart", heap.liveBytesAtStart());
        json.writeNumberField("maxHeapBytes", heap.maxHeapBytes());
        json.writeNumberField("growthBytesPerMinute", heap.growthBytesPerMinute());
        json.writeNumberField("confidence", heap.confidence());
        json.writeBooleanField("growing", heap.growing());
        json.writeFieldName("minutesToExhaustion");
        if (heap.minutesToExhaustion() == null) {
            json.writeNull();
        } else {
            json.writeNumber(heap.minutesToExhaustion());
        }
        writeString(json, "projectedExhaustionAt", heap.projectedExhaustionAt());
        writeString(json, "summary", heap.summary());
        json.writeEndObject();
    }

    private static void writeSnapshots(JsonGenerator json, SnapshotSummary snapshots) throws IOException {
        if (snapshots == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeNumberField("count", snapshots.count());
        json.writeNumberField("recordsRead", snapshots.recordsRead());
        json.writeNumberField("skippedRecords", snapshots.skippedRecords());
        writeString(json, "first", snapshots.first());
        writeString(json, "last", snapshots.last());
        json.writeNumberField("spanSeconds", snapshots.spanSeconds());
        json.writeFieldName("histogramKinds");
        if (snapshots.histogramKinds() == null) {
            json.writeNull();
        } else {
            json.writeStartObject();
            for (Map.Entry<String, Integer> kind : snapshots.histogramKinds().entrySet()) {
                json.writeNumberField(kind.getKey(), kind.getValue());
            }
            json.writeEndObject();
        }
        json.writeNumberField("warmupSeconds", snapshots.warmupSeconds());
        writeString(json, "warmupRule", snapshots.warmupRule());
        json.writeNumberField("analysedPoints", snapshots.analysedPoints());
        writeLong(json, "pid", snapshots.pid());
        writeString(json, "jvm", snapshots.jvm());
        json.writeEndObject();
    }

    private static void writeAgent(JsonGenerator json, AgentSummary agent) throws IOException {
        if (agent == null) {
            json.writeNull();
            return;
        }
        json.writeStartObject();
        json.writeNumberField("snapshotSecondsTotal", agent.snapshotSecondsTotal());
        json.writeNumberField("overheadPercent", agent.overheadPercent());
        json.writeNumberField("lastSnapshotMillis", agent.lastSnapshotMillis());
        writeString(json, "histogramMode", agent.histogramMode());
        writeLong(json, "suppressedErrors", agent.suppressedErrors());
        writeString(json, "note", agent.note());
        json.writeFieldName("allocationTracking");
        AgentSummary.AllocationTracking tracking = agent.allocationTracking();
        if (tracking == null) {
            json.writeNull();
        } else {
            json.writeStartObject();
            json.writeStringField("sampler", tracking.sampler().wireName());
            json.writeNumberField("samplingInterval", tracking.samplingInterval());
            json.writeNumberField("trackedSamples", tracking.trackedSamples());
            json.writeNumberField("capacity", tracking.capacity());
            json.writeNumberField("evictedSamples", tracking.evictedSamples());
            writeLong(json, "instrumentedClasses", tracking.instrumentedClasses());
            writeLong(json, "instrumentedSites", tracking.instrumentedSites());
            writeLong(json, "failedClasses", tracking.failedClasses());
            json.writeEndObject();
        }
        json.writeFieldName("recording");
        AgentSummary.Recording recording = agent.recording();
        if (recording == null) {
            json.writeNull();
        } else {
            json.writeStartObject();
            json.writeNumberField("snapshotsTaken", recording.snapshotsTaken());
            json.writeNumberField("snapshotsSaved", recording.snapshotsSaved());
            json.writeStringField("writing", recording.writing().wireName());
            writeString(json, "problem", recording.problem());
            json.writeEndObject();
        }
        writeString(json, "version", agent.version());
        json.writeEndObject();
    }

    /** Null stays an explicit {@code null}: the schema lists every field, present or not. */
    private static void writeString(JsonGenerator json, String field, String value) throws IOException {
        json.writeFieldName(field);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeString(value);
        }
    }

    private static void writeLong(JsonGenerator json, String field, Long value) throws IOException {
        json.writeFieldName(field);
        if (value == null) {
            json.writeNull();
        } else {
            json.writeNumber(value);
        }
    }

    private static void writeStrings(JsonGenerator json, String field, List<String> values) throws IOException {
        json.writeArrayFieldStart(field);
        for (String value : values) {
            json.writeString(value);
        }
        json.writeEndArray();
    }
}
