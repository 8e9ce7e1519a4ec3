package dev.leakwatch.format.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * {@code leakwatch diff --format json}: a {@link HistogramDiff} field for field, in the order of the schema in
 * {@code docs/formats.md}. Deterministic (no time of writing), so that the same two inputs always give the same bytes.
 */
public final class DiffJson {
    private static final JsonFactory JSON = new JsonFactory();

    private DiffJson() {}

    public static String write(HistogramDiff diff) {
        StringWriter out = new StringWriter(8192);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("format", "leakwatch-diff");
            json.writeNumberField("schemaVersion", HistogramDiff.SCHEMA_VERSION);
            json.writeFieldName("before");
            writeSide(json, diff.before());
            json.writeFieldName("after");
            writeSide(json, diff.after());
            json.writeNumberField("bytesChange", diff.bytesChange());
            json.writeNumberField("instancesChange", diff.instancesChange());
            json.writeNumberField("unchangedClasses", diff.unchanged());
            json.writeArrayFieldStart("changes");
            for (HistogramDiff.ClassChange change : diff.changes()) {
                json.writeStartObject();
                json.writeStringField("className", change.className());
                json.writeNumberField("bytesBefore", change.bytesBefore());
                json.writeNumberField("bytesAfter", change.bytesAfter());
                json.writeNumberField("bytesChange", change.bytesChange());
                json.writeNumberField("instancesBefore", change.instancesBefore());
                json.writeNumberField("instancesAfter", change.instancesAfter());
                json.writeNumberField("instancesChange", change.instancesChange());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.append('\n').toString();
    }

    private static void writeSide(JsonGenerator json, HistogramDiff.Side side) throws IOException {
        json.writeStartObject();
        json.writeStringField("source", side.source());
        json.writeStringField("time", side.time());
        json.writeStringField("histogramKind", side.histogramKind());
        json.writeNumberField("totalBytes", side.totalBytes());
        json.writeNumberField("totalInstances", side.totalInstances());
        json.writeEndObject();
    }
}
