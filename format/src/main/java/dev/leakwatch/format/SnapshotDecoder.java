package dev.leakwatch.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.GcGauge;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.InstrumentationCounts;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.LoaderStats;
import dev.leakwatch.format.model.MemoryPoolGauge;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.model.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The reading half of {@link SnapshotCodec}: one record back into a {@link Snapshot}, refusing values no JVM produces
 * (see {@link SnapshotCodec}). Reads with Jackson's streaming parser only: the histogram straight from the parser
 * ({@link HistogramStream}), the rest as {@link JsonValue}s. Kept apart from the encoding, which is all the agent loads.
 */
final class SnapshotDecoder {
    private static final long UNKNOWN = -1;
    private static final long MAX_AMOUNT = SnapshotCodec.MAX_AMOUNT;
    private static final long EARLIEST_TIME = SnapshotCodec.EARLIEST_TIME;
    private static final long LATEST_TIME = SnapshotCodec.LATEST_TIME;

    private SnapshotDecoder() {}

    /** Reads one record; the exception's message says in one line what is wrong with it. */
    public static Snapshot decode(String line) throws SnapshotFormatException {
        try (JsonParser parser = JsonValueReader.JSON.createParser(line)) {
            Snapshot snapshot = decodeStreaming(parser);
            if (snapshot != null) {
                return snapshot;
            }
        } catch (IOException | RuntimeException e) {
            // decoded again as a tree below, which names what is wrong
        }
        return decodeTree(readTree(line), null);
    }

    /** Reads one record from UTF-8 bytes, as {@link #decode(String)} does from text. */
    public static Snapshot decode(byte[] utf8, int offset, int length) throws SnapshotFormatException {
        try (JsonParser parser = JsonValueReader.JSON.createParser(utf8, offset, length)) {
            Snapshot snapshot = decodeStreaming(parser);
            if (snapshot != null) {
                return snapshot;
            }
        } catch (IOException | RuntimeException e) {
            // decoded again as a tree below, which names what is wrong
        }
        return decode(new String(utf8, offset, length, StandardCharsets.UTF_8));
    }

    /**
     * Whether a record is a leakwatch snapshot of a version newer than this build reads: exactly the records that
     * {@link #decode} refuses for their version, read again, so that a caller can tell them from damaged ones.
     */
    static boolean isNewerVersion(String line) {
        JsonValue root;
        try {
            root = readTree(line);
        } catch (SnapshotFormatException e) {
            return false; // not JSON at all: an ordinary unreadable record
        }
        return isSnapshot(root) && version(root) > SnapshotFormat.CURRENT_VERSION;
    }

    private static JsonValue readTree(String line) throws SnapshotFormatException {
        try {
            return JsonValueReader.read(line);
        } catch (JsonProcessingException e) {
            throw new SnapshotFormatException("not a JSON record: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading a string fails only as JSON", e);
        }
    }

    /**
     * The record read with its histogram streamed ({@link HistogramStream}) and the rest as values; null when the
     * record is not one the codec wrote with values in range, for {@link #decodeTree} to say why.
     */
    private static Snapshot decodeStreaming(JsonParser parser) throws IOException, SnapshotFormatException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        LinkedHashMap<String, JsonValue> root = new LinkedHashMap<>();
        ClassHistogram histogram = null;
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("histogram") && value == JsonToken.START_OBJECT) {
                histogram = HistogramStream.read(parser);
                if (histogram == null) {
                    return null;
                }
            } else {
                root.put(field, JsonValueReader.read(parser));
            }
        }
        if (parser.currentToken() != JsonToken.END_OBJECT || histogram == null) {
            return null;
        }
        return decodeTree(new ObjectValue(root), histogram);
    }

    /** Decodes a record read as a tree; with its histogram read already when {@code histogram} is not null. */
    private static Snapshot decodeTree(JsonValue root, ClassHistogram histogram) throws SnapshotFormatException {
        if (!root.isObject()) {
            throw new SnapshotFormatException("not a JSON object");
        }
        if (!isSnapshot(root)) {
            throw new SnapshotFormatException(
                    "not a leakwatch snapshot (field 'format' is not '" + SnapshotFormat.FORMAT_NAME + "')");
        }
        int version = version(root);
        if (version > SnapshotFormat.CURRENT_VERSION) {
            throw new SnapshotFormatException(
                    "snapshot schemaVersion " + version + " is newer than this analyzer reads ("
                            + SnapshotFormat.CURRENT_VERSION + "); use a newer leakwatch analyzer");
        }
        if (version < SnapshotFormat.OLDEST_READABLE_VERSION) {
            throw new SnapshotFormatException(
                    "snapshot schemaVersion " + version + " is not supported (this analyzer reads "
                            + SnapshotFormat.OLDEST_READABLE_VERSION + " to " + SnapshotFormat.CURRENT_VERSION + ")");
        }
        try {
            // Versions 2 to 5 only added optional fields (allocations, its instrumentation, its sampler, agentOwned):
            // one reader.
            return decodeVersion1To5(root, histogram != null ? histogram : readHistogram(required(root, "histogram")));
        } catch (RuntimeException e) {
            throw new SnapshotFormatException("malformed snapshot record: " + e.getMessage(), e);
        }
    }

    private static boolean isSnapshot(JsonValue root) {
        return SnapshotFormat.FORMAT_NAME.equals(root.path("format").asText());
    }

    /** -1 when absent or not a number. */
    private static int version(JsonValue root) {
        return root.path("schemaVersion").asInt(-1);
    }

    private static Snapshot decodeVersion1To5(JsonValue root, ClassHistogram histogram) {
        JsonValue gauges = root.get("gauges");
        JsonValue allocations = root.get("allocations");
        long time = requiredLong(root, "time");
        if (time < EARLIEST_TIME || time >= LATEST_TIME) {
            throw new IllegalArgumentException("field 'time' is " + time + ", not a time between 2000 and 2200");
        }
        return new Snapshot(
                amount(root, "sequence", null, 0, MAX_AMOUNT),
                time,
                amount(root, "uptimeMs", UNKNOWN, UNKNOWN, LATEST_TIME - EARLIEST_TIME),
                amount(root, "pid", UNKNOWN, UNKNOWN, Long.MAX_VALUE),
                root.path("jvm").asText(""),
                amount(root, "durationMs", 0L, 0, MAX_AMOUNT),
                histogram,
                gauges == null || gauges.isNull() ? Optional.empty() : Optional.of(readGauges(gauges)),
                allocations == null || allocations.isNull()
                        ? Optional.empty()
                        : Optional.of(readAllocations(allocations)),
                readAgentOwned(root.get("agentOwned")));
    }

    /** Absent before version 5, and when the agent holds nothing of its own in the heap worth naming. */
    private static List<ClassCount> readAgentOwned(JsonValue rows) {
        if (rows == null || rows.isNull()) {
            return List.of();
        }
        if (!rows.isArray()) {
            throw new IllegalArgumentException("field 'agentOwned' is not an array");
        }
        List<ClassCount> owned = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonValue row = rows.get(i);
            if (!isClassRow(row)) {
                throw new IllegalArgumentException("agentOwned row " + i + " is not [className, instances, bytes]");
            }
            owned.add(new ClassCount(
                    row.get(0).asText(), rowAmount(row, 1, "agentOwned", i), rowAmount(row, 2, "agentOwned", i)));
        }
        return owned;
    }

    private static AllocationStats readAllocations(JsonValue node) {
        List<SiteRetention> paths = new ArrayList<>();
        for (JsonValue path : node.path("paths")) {
            List<String> frames = new ArrayList<>();
            for (JsonValue frame : path.path("frames")) {
                frames.add(frame.asText());
            }
            long oldest = amount(path, "oldest", 0L, 0, LATEST_TIME);
            paths.add(new SiteRetention(
                    required(path, "type").asText(),
                    frames,
                    (int) amount(path, "firstNonJdk", UNKNOWN, UNKNOWN, Integer.MAX_VALUE),
                    (int) amount(path, "firstApp", UNKNOWN, UNKNOWN, Integer.MAX_VALUE),
                    amount(path, "liveSamples", 0L, 0, MAX_AMOUNT),
                    amount(path, "liveInstances", 0L, 0, MAX_AMOUNT),
                    amount(path, "liveBytes", 0L, 0, MAX_AMOUNT),
                    (int) amount(path, "epochs", 0L, 0, Integer.MAX_VALUE),
                    oldest));
        }
        List<LoaderStats> loaders = new ArrayList<>();
        for (JsonValue loader : node.path("loaders")) {
            loaders.add(new LoaderStats(
                    required(loader, "type").asText(),
                    amount(loader, "live", 0L, 0, MAX_AMOUNT),
                    amount(loader, "defined", 0L, 0, MAX_AMOUNT)));
        }
        JsonValue counts = node.get("instrumentation");
        InstrumentationCounts instrumentation = counts == null
                ? null
                : new InstrumentationCounts(
                        amount(counts, "classes", 0L, 0, MAX_AMOUNT),
                        amount(counts, "sites", 0L, 0, MAX_AMOUNT),
                        amount(counts, "failedClasses", 0L, 0, MAX_AMOUNT));
        return new AllocationStats(
                amount(node, "samplingInterval", 1L, 1, MAX_AMOUNT),
                amount(node, "tracked", 0L, 0, MAX_AMOUNT),
                amount(node, "capacity", 0L, 0, MAX_AMOUNT),
                amount(node, "evicted", 0L, 0, Long.MAX_VALUE),
                paths,
                loaders,
                instrumentation,
                readSampler(node.get("sampler")));
    }

    /** Formats 1 to 3 had only the instrumentation sampler and say nothing. */
    private static AllocationSampler readSampler(JsonValue sampler) {
        if (sampler == null) {
            return AllocationSampler.INSTRUMENTATION;
        }
        if (!sampler.isTextual()) {
            throw new IllegalArgumentException("field 'sampler' is not a string");
        }
        // An unknown name is refused rather than read as instrumentation: the interval would be read in the wrong unit.
        return AllocationSampler.fromWireName(sampler.asText())
                .orElseThrow(
                        () -> new IllegalArgumentException("unknown allocation sampler '" + sampler.asText() + "'"));
    }

    private static ClassHistogram readHistogram(JsonValue node) {
        HistogramKind kind = HistogramKind.fromWireName(required(node, "kind").asText());
        JsonValue classes = required(node, "classes");
        int rows = classes.size();
        String[] names = new String[rows];
        long[] instances = new long[rows];
        long[] bytes = new long[rows];
        for (int i = 0; i < rows; i++) {
            JsonValue row = classes.get(i);
            if (!isClassRow(row)) {
                throw new IllegalArgumentException("histogram row " + i + " is not [className, instances, bytes]");
            }
            names[i] = row.get(0).asText().intern();
            instances[i] = rowAmount(row, 1, "histogram", i);
            bytes[i] = rowAmount(row, 2, "histogram", i);
        }
        return new ClassHistogram(kind, names, instances, bytes);
    }

    /** Not a row when absent: {@code classes} given as an object has fields, but no row at an index. */
    private static boolean isClassRow(JsonValue row) {
        return row != null
                && row.isArray()
                && row.size() >= 3
                && row.get(0).isTextual()
                && row.get(1).isNumber()
                && row.get(2).isNumber();
    }

    private static long rowAmount(JsonValue row, int column, String table, int index) {
        JsonValue value = row.get(column);
        if (!value.isIntegralNumber()
                || !value.canConvertToLong()
                || value.asLong() < 0
                || value.asLong() > MAX_AMOUNT) {
            throw new IllegalArgumentException(table + " row " + index + " ("
                    + row.get(0).asText() + ") has " + (column == 1 ? "instances " : "bytes ") + abbreviated(value)
                    + ", not a whole number from 0 to 2^50");
        }
        return value.asLong();
    }

    private static JvmGauges readGauges(JsonValue node) {
        JsonValue heap = node.path("heap");
        JsonValue classes = node.path("classes");
        List<MemoryPoolGauge> pools = new ArrayList<>();
        for (JsonValue pool : node.path("pools")) {
            pools.add(new MemoryPoolGauge(
                    pool.path("name").asText(),
                    pool.path("heap").asBoolean(),
                    gauge(pool, "used"),
                    gauge(pool, "usedAfterGc"),
                    gauge(pool, "committed"),
                    gauge(pool, "max")));
        }
        List<BufferPoolGauge> buffers = new ArrayList<>();
        for (JsonValue buffer : node.path("buffers")) {
            buffers.add(new BufferPoolGauge(
                    buffer.path("name").asText(),
                    gauge(buffer, "count"),
                    gauge(buffer, "used"),
                    gauge(buffer, "capacity")));
        }
        List<GcGauge> collectors = new ArrayList<>();
        for (JsonValue gc : node.path("gc")) {
            collectors.add(new GcGauge(gc.path("name").asText(), gauge(gc, "count"), gauge(gc, "timeMs")));
        }
        return new JvmGauges(
                gauge(heap, "used"),
                gauge(heap, "committed"),
                gauge(heap, "max"),
                gauge(node, "nonHeapUsed"),
                gauge(classes, "loaded"),
                gauge(classes, "totalLoaded"),
                gauge(classes, "unloaded"),
                (int) amount(node, "liveThreads", UNKNOWN, UNKNOWN, Integer.MAX_VALUE),
                pools,
                buffers,
                collectors);
    }

    /** A gauge: -1 when absent or undefined (as the JVM's management beans say it), else 0 to {@link #MAX_AMOUNT}. */
    private static long gauge(JsonValue node, String field) {
        return amount(node, field, UNKNOWN, UNKNOWN, MAX_AMOUNT);
    }

    /**
     * A whole number from {@code min} to {@code max}, or {@code absent} when the field is missing (required when
     * {@code absent} is null).
     */
    private static long amount(JsonValue node, String field, Long absent, long min, long max) {
        JsonValue value = node.get(field);
        if (value == null || value.isNull()) {
            if (absent == null) {
                throw new IllegalArgumentException("missing field '" + field + "'");
            }
            return absent;
        }
        if (!value.isNumber()) {
            throw new IllegalArgumentException("field '" + field + "' is not a number");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            throw new IllegalArgumentException("field '" + field + "' is " + abbreviated(value)
                    + ", not a whole number from " + min + " to " + max);
        }
        return value.asLong();
    }

    private static String abbreviated(JsonValue value) {
        String text = value.toString();
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static JsonValue required(JsonValue node, String field) {
        JsonValue value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    private static long requiredLong(JsonValue node, String field) {
        JsonValue value = required(node, field);
        if (!value.isNumber()) {
            throw new IllegalArgumentException("field '" + field + "' is not a number");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException(
                    "field '" + field + "' is " + abbreviated(value) + ", not a whole number");
        }
        return value.asLong();
    }
}
