package dev.leakwatch.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.leakwatch.format.model.AllocationStats;
import dev.leakwatch.format.model.BufferPoolGauge;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.ClassHistogram;
import dev.leakwatch.format.model.GcGauge;
import dev.leakwatch.format.model.InstrumentationCounts;
import dev.leakwatch.format.model.JvmGauges;
import dev.leakwatch.format.model.LoaderStats;
import dev.leakwatch.format.model.MemoryPoolGauge;
import dev.leakwatch.format.model.SiteRetention;
import dev.leakwatch.format.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Turns a {@link Snapshot} into one JSON line and back. See {@link SnapshotFormat} and {@code docs/formats.md}.
 *
 * <p>Decoding ({@link SnapshotDecoder}, a class of its own so that the agent, which only encodes, never loads the
 * decoder's classes) refuses values no JVM produces: negative or astronomically large counts and sizes, times outside
 * {@link #EARLIEST_TIME} to {@link #LATEST_TIME}. Such a record is damage or forgery, and read as data it bends every
 * trend: negative counts, 2^63-1 bytes and times in the year 292278994 would report that a class "grows by 270660.8
 * GB per minute" ({@code SnapshotCodecTest}, {@code ReaderFuzzTest}).
 */
public final class SnapshotCodec {
    /** The most bytes or instances a record may give one class, pool or gauge: 1 PiB, far beyond any heap. */
    public static final long MAX_AMOUNT = 1L << 50;
    /** The earliest snapshot time accepted: 2000-01-01T00:00:00Z. */
    public static final long EARLIEST_TIME = 946_684_800_000L;
    /** The first snapshot time no longer accepted: 2200-01-01T00:00:00Z. */
    public static final long LATEST_TIME = 7_258_118_400_000L;

    private static final JsonFactory JSON = new JsonFactory();

    private SnapshotCodec() {}

    /** The record as UTF-8 JSON, terminated by a newline. */
    public static byte[] encode(Snapshot snapshot) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(64 + snapshot.histogram().size() * 48);
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
        return SnapshotDecoder.decode(line);
    }

    /** Reads one record from UTF-8 bytes, as {@link #decode(String)} does from text. */
    public static Snapshot decode(byte[] utf8, int offset, int length) throws SnapshotFormatException {
        return SnapshotDecoder.decode(utf8, offset, length);
    }
}
