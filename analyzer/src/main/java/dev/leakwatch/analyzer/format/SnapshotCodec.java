package dev.leakwatch.analyzer.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.analyzer.model.AllocationSampler;
import dev.leakwatch.analyzer.model.AllocationStats;
import dev.leakwatch.analyzer.model.BufferPoolGauge;
import dev.leakwatch.analyzer.model.ClassCount;
import dev.leakwatch.analyzer.model.ClassHistogram;
import dev.leakwatch.analyzer.model.GcGauge;
import dev.leakwatch.analyzer.model.HistogramKind;
import dev.leakwatch.analyzer.model.InstrumentationCounts;
import dev.leakwatch.analyzer.model.JvmGauges;
import dev.leakwatch.analyzer.model.LoaderStats;
import dev.leakwatch.analyzer.model.MemoryPoolGauge;
import dev.leakwatch.analyzer.model.SiteRetention;
import dev.leakwatch.analyzer.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns a {@link Snapshot} into one JSON line and back. See {@link SnapshotFormat} and {@code docs/formats.md}. */
public final class SnapshotCodec {
    private static final JsonFactory JSON = new JsonFactory();

    private SnapshotCodec() {
    }

    /** The record as UTF-8 JSON, terminated by a newline. */
    public static byte[] encode(Snapshot snapshot) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + snapshot.histogram().size() * 48);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("format", SnapshotFormat.FORMAT_NAME);
            json.writeNumberField("schemaVersion", SnapshotFormat.CURRENT_VERSION);
            json.writeNumberField("sequence", snapshot.sequence());
            json.writeNumberField("time", snapshot.epochMillis());
            json.writeNumberField("uptimeMs", snapshot.uptimeMillis());
            json.writeNumberField("pid", snapshot.pid());
            json.writeStringField("jvm", snapshot.jvmVersion());
            json.writeNumberField("durationMs", snapshot.durationMillis());
            writeHistogram(json, snapshot.histogram());
            if (snapshot.gauges().isPresent()) {
                writeGauges(json, snapshot.gauges().get());
            }
            if (snapshot.allocations().isPresent()) {
                writeAllocations(json, snapshot.allocations().get());
            }
            if (!snapshot.agentOwned().isEmpty()) {
                writeAgentOwned(json, snapshot.agentOwned());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeAgentOwned(JsonGenerator json, List<ClassCount> owned) throws IOException {
        json.writeArrayFieldStart("agentOwned");
        for (ClassCount row : owned) {
            json.writeStartArray();
            json.writeString(row.className());
            json.writeNumber(row.instances());
            json.writeNumber(row.bytes());
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    private static void writeHistogram(JsonGenerator json, ClassHistogram histogram) throws IOException {
        json.writeObjectFieldStart("histogram");
        json.writeStringField("kind", histogram.kind().wireName());
        json.writeArrayFieldStart("classes");
        for (int row = 0; row < histogram.size(); row++) {
            json.writeStartArray();
            json.writeString(histogram.className(row));
            json.writeNumber(histogram.instances(row));
            json.writeNumber(histogram.bytes(row));
            json.writeEndArray();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeGauges(JsonGenerator json, JvmGauges gauges) throws IOException {
        json.writeObjectFieldStart("gauges");
        json.writeObjectFieldStart("heap");
        json.writeNumberField("used", gauges.heapUsed());
        json.writeNumberField("committed", gauges.heapCommitted());
        json.writeNumberField("max", gauges.heapMax());
        json.writeEndObject();
        json.writeNumberField("nonHeapUsed", gauges.nonHeapUsed());
        json.writeObjectFieldStart("classes");
        json.writeNumberField("loaded", gauges.loadedClasses());
        json.writeNumberField("totalLoaded", gauges.totalLoadedClasses());
        json.writeNumberField("unloaded", gauges.unloadedClasses());
        json.writeEndObject();
        json.writeNumberField("liveThreads", gauges.liveThreads());
        json.writeArrayFieldStart("pools");
        for (MemoryPoolGauge pool : gauges.memoryPools()) {
            json.writeStartObject();
            json.writeStringField("name", pool.name());
            json.writeBooleanField("heap", pool.heap());
            json.writeNumberField("used", pool.usedNow());
            json.writeNumberField("usedAfterGc", pool.usedAfterGc());
            json.writeNumberField("committed", pool.committed());
            json.writeNumberField("max", pool.max());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("buffers");
        for (BufferPoolGauge pool : gauges.bufferPools()) {
            json.writeStartObject();
            json.writeStringField("name", pool.name());
            json.writeNumberField("count", pool.count());
            json.writeNumberField("used", pool.usedBytes());
            json.writeNumberField("capacity", pool.capacityBytes());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("gc");
        for (GcGauge gc : gauges.collectors()) {
            json.writeStartObject();
            json.writeStringField("name", gc.name());
            json.writeNumberField("count", gc.collections());
            json.writeNumberField("timeMs", gc.timeMillis());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void writeAllocations(JsonGenerator json, AllocationStats stats) throws IOException {
        json.writeObjectFieldStart("allocations");
        json.writeNumberField("samplingInterval", stats.samplingInterval());
        json.writeStringField("sampler", stats.sampler().wireName());
        json.writeNumberField("tracked", stats.trackedObjects());
        json.writeNumberField("capacity", stats.capacity());
        json.writeNumberField("evicted", stats.evictedSamples());
        json.writeArrayFieldStart("paths");
        for (SiteRetention path : stats.paths()) {
            json.writeStartObject();
            json.writeStringField("type", path.allocatedType());
            json.writeArrayFieldStart("frames");
            for (String frame : path.frames()) {
                json.writeString(frame);
            }
            json.writeEndArray();
            json.writeNumberField("firstNonJdk", path.firstNonJdkFrame());
            json.writeNumberField("firstApp", path.firstApplicationFrame());
            json.writeNumberField("liveSamples", path.liveSamples());
            json.writeNumberField("liveInstances", path.estimatedLiveInstances());
            json.writeNumberField("liveBytes", path.estimatedLiveBytes());
            json.writeNumberField("epochs", path.distinctEpochs());
            json.writeNumberField("oldest", path.oldestAllocationMillis());
            json.writeEndObject();
        }
        json.writeEndArray();
        InstrumentationCounts instrumentation = stats.instrumentation();
        if (instrumentation != null) {
            json.writeObjectFieldStart("instrumentation");
            json.writeNumberField("classes", instrumentation.classes());
            json.writeNumberField("sites", instrumentation.sites());
            json.writeNumberField("failedClasses", instrumentation.failedClasses());
            json.writeEndObject();
        }
        if (!stats.loaders().isEmpty()) {
            json.writeArrayFieldStart("loaders");
            for (LoaderStats loader : stats.loaders()) {
                json.writeStartObject();
                json.writeStringField("type", loader.loaderType());
                json.writeNumberField("live", loader.liveLoaders());
                json.writeNumberField("defined", loader.definedClasses());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
        json.writeEndObject();
    }

    /** Reads one record; the exception's message says in one line what is wrong with it. */
    public static Snapshot decode(String line) throws SnapshotFormatException {
        JsonNode root;
        try {
            root = Reader.MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new SnapshotFormatException("not a JSON record: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SnapshotFormatException("not a JSON object");
        }
        if (!SnapshotFormat.FORMAT_NAME.equals(root.path("format").asText())) {
            throw new SnapshotFormatException("not a leakwatch snapshot (field 'format' is not '"
                    + SnapshotFormat.FORMAT_NAME + "')");
        }
        int version = root.path("schemaVersion").asInt(-1);
        if (version > SnapshotFormat.CURRENT_VERSION) {
            throw new SnapshotFormatException("snapshot schemaVersion " + version + " is newer than this analyzer reads ("
                    + SnapshotFormat.CURRENT_VERSION + "); use a newer leakwatch analyzer");
        }
        if (version < SnapshotFormat.OLDEST_READABLE_VERSION) {
            throw new SnapshotFormatException("snapshot schemaVersion " + version + " is not supported (this analyzer reads "
                    + SnapshotFormat.OLDEST_READABLE_VERSION + " to " + SnapshotFormat.CURRENT_VERSION + ")");
        }
        try {
            // Versions 2 to 5 only added optional fields (allocations, its instrumentation, its sampler, agentOwned):
            // one reader.
            return decodeVersion1To5(root);
        } catch (RuntimeException e) {
            throw new SnapshotFormatException("malformed snapshot record: " + e.getMessage(), e);
        }
    }

    private static Snapshot decodeVersion1To5(JsonNode root) {
        ClassHistogram histogram = readHistogram(required(root, "histogram"));
        JsonNode gauges = root.get("gauges");
        JsonNode allocations = root.get("allocations");
        return new Snapshot(
                requiredLong(root, "sequence"),
                requiredLong(root, "time"),
                root.path("uptimeMs").asLong(-1),
                root.path("pid").asLong(-1),
                root.path("jvm").asText(""),
                root.path("durationMs").asLong(0),
                histogram,
                gauges == null || gauges.isNull() ? Optional.empty() : Optional.of(readGauges(gauges)),
                allocations == null || allocations.isNull() ? Optional.empty() : Optional.of(readAllocations(allocations)),
                readAgentOwned(root.get("agentOwned")));
    }

    /** Absent before version 5, and when the agent holds nothing of its own in the heap worth naming. */
    private static List<ClassCount> readAgentOwned(JsonNode rows) {
        if (rows == null || rows.isNull()) {
            return List.of();
        }
        if (!rows.isArray()) {
            throw new IllegalArgumentException("field 'agentOwned' is not an array");
        }
        List<ClassCount> owned = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            if (!row.isArray() || row.size() < 3 || !row.get(0).isTextual() || !row.get(1).canConvertToLong()
                    || !row.get(2).canConvertToLong()) {
                throw new IllegalArgumentException("agentOwned row " + i + " is not [className, instances, bytes]");
            }
            owned.add(new ClassCount(row.get(0).asText(), row.get(1).asLong(), row.get(2).asLong()));
        }
        return owned;
    }

    private static AllocationStats readAllocations(JsonNode node) {
        List<SiteRetention> paths = new ArrayList<>();
        for (JsonNode path : node.path("paths")) {
            List<String> frames = new ArrayList<>();
            for (JsonNode frame : path.path("frames")) {
                frames.add(frame.asText());
            }
            paths.add(new SiteRetention(required(path, "type").asText(), frames, path.path("firstNonJdk").asInt(-1),
                    path.path("firstApp").asInt(-1), path.path("liveSamples").asLong(), path.path("liveInstances").asLong(),
                    path.path("liveBytes").asLong(), path.path("epochs").asInt(), path.path("oldest").asLong()));
        }
        List<LoaderStats> loaders = new ArrayList<>();
        for (JsonNode loader : node.path("loaders")) {
            loaders.add(new LoaderStats(required(loader, "type").asText(), loader.path("live").asLong(),
                    loader.path("defined").asLong()));
        }
        JsonNode counts = node.get("instrumentation");
        InstrumentationCounts instrumentation = counts == null ? null : new InstrumentationCounts(
                counts.path("classes").asLong(), counts.path("sites").asLong(), counts.path("failedClasses").asLong());
        return new AllocationStats(node.path("samplingInterval").asLong(1), node.path("tracked").asLong(),
                node.path("capacity").asLong(), node.path("evicted").asLong(), paths, loaders, instrumentation,
                readSampler(node.get("sampler")));
    }

    /** Formats 1 to 3 had only the instrumentation sampler and say nothing. */
    private static AllocationSampler readSampler(JsonNode sampler) {
        if (sampler == null) {
            return AllocationSampler.INSTRUMENTATION;
        }
        if (!sampler.isTextual()) {
            throw new IllegalArgumentException("field 'sampler' is not a string");
        }
        // An unknown name is refused rather than read as instrumentation: the interval would be read in the wrong unit.
        return AllocationSampler.fromWireName(sampler.asText()).orElseThrow(() -> new IllegalArgumentException(
                "unknown allocation sampler '" + sampler.asText() + "'"));
    }

    private static ClassHistogram readHistogram(JsonNode node) {
        HistogramKind kind = HistogramKind.fromWireName(required(node, "kind").asText());
        JsonNode classes = required(node, "classes");
        int rows = classes.size();
        String[] names = new String[rows];
        long[] instances = new long[rows];
        long[] bytes = new long[rows];
        for (int i = 0; i < rows; i++) {
            JsonNode row = classes.get(i);
            if (!row.isArray() || row.size() < 3 || !row.get(0).isTextual()) {
                throw new IllegalArgumentException("histogram row " + i + " is not [className, instances, bytes]");
            }
            names[i] = row.get(0).asText().intern();
            instances[i] = row.get(1).asLong();
            bytes[i] = row.get(2).asLong();
        }
        return new ClassHistogram(kind, names, instances, bytes);
    }

    private static JvmGauges readGauges(JsonNode node) {
        JsonNode heap = node.path("heap");
        JsonNode classes = node.path("classes");
        List<MemoryPoolGauge> pools = new ArrayList<>();
        for (JsonNode pool : node.path("pools")) {
            pools.add(new MemoryPoolGauge(pool.path("name").asText(), pool.path("heap").asBoolean(),
                    pool.path("used").asLong(-1), pool.path("usedAfterGc").asLong(-1),
                    pool.path("committed").asLong(-1), pool.path("max").asLong(-1)));
        }
        List<BufferPoolGauge> buffers = new ArrayList<>();
        for (JsonNode buffer : node.path("buffers")) {
            buffers.add(new BufferPoolGauge(buffer.path("name").asText(), buffer.path("count").asLong(),
                    buffer.path("used").asLong(), buffer.path("capacity").asLong()));
        }
        List<GcGauge> collectors = new ArrayList<>();
        for (JsonNode gc : node.path("gc")) {
            collectors.add(new GcGauge(gc.path("name").asText(), gc.path("count").asLong(), gc.path("timeMs").asLong()));
        }
        return new JvmGauges(heap.path("used").asLong(-1), heap.path("committed").asLong(-1),
                heap.path("max").asLong(-1), node.path("nonHeapUsed").asLong(-1),
                classes.path("loaded").asLong(-1), classes.path("totalLoaded").asLong(-1),
                classes.path("unloaded").asLong(-1), node.path("liveThreads").asInt(-1),
                pools, buffers, collectors);
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    private static long requiredLong(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.canConvertToLong()) {
            throw new IllegalArgumentException("field '" + field + "' is not a number");
        }
        return value.asLong();
    }

    /** Data binding for {@link #decode} only: the agent encodes inside the host JVM and never pays for it. */
    private static final class Reader {
        static final ObjectMapper MAPPER = new ObjectMapper(JSON);
    }
}
