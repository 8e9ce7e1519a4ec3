package dev.leakwatch.format.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The fleet report as JSON, both ways: field for field in the order of {@code docs/formats.md}, "Fleet report",
 * written with Jackson's streaming generator as {@code ReportJson} writes the single report, and read back
 * ({@link FleetJsonReader}).
 */
public final class FleetJson {
    private static final JsonFactory JSON = new JsonFactory();

    private FleetJson() {}

    /** The report as pretty-printed JSON, ending in a newline. */
    public static String write(FleetReport report) {
        StringWriter out = new StringWriter(4096);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("schemaVersion", report.schemaVersion());
            json.writeStringField("generatedAt", report.generatedAt());
            json.writeArrayFieldStart("replicas");
            for (FleetReport.Replica replica : report.replicas()) {
                writeReplica(json, replica);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("leaks");
            for (FleetReport.Leak leak : report.leaks()) {
                writeLeak(json, leak);
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.append('\n').toString();
    }

    /**
     * Reads a fleet report this build or an older one wrote.
     *
     * @throws IOException when the text is no fleet report, or one of a newer schema; the message says which
     */
    public static FleetReport read(String json) throws IOException {
        return FleetJsonReader.read(json);
    }

    private static void writeReplica(JsonGenerator json, FleetReport.Replica replica) throws IOException {
        json.writeStartObject();
        json.writeStringField("name", replica.name());
        json.writeStringField("verdict", replica.verdict());
        json.writeFieldName("pid");
        if (replica.pid() == null) {
            json.writeNull();
        } else {
            json.writeNumber(replica.pid());
        }
        json.writeStringField("first", replica.first());
        json.writeStringField("last", replica.last());
        json.writeNumberField("suspects", replica.suspects());
        json.writeEndObject();
    }

    private static void writeLeak(JsonGenerator json, FleetReport.Leak leak) throws IOException {
        json.writeStartObject();
        json.writeStringField("fingerprint", leak.fingerprint());
        json.writeStringField("kind", leak.kind());
        json.writeStringField("name", leak.name());
        json.writeStringField("unit", leak.unit());
        json.writeStringField("firstSeen", leak.firstSeen());
        json.writeNumberField("replicaCount", leak.sightings().size());
        json.writeArrayFieldStart("sightings");
        for (FleetReport.Sighting sighting : leak.sightings()) {
            json.writeStartObject();
            json.writeStringField("replica", sighting.replica());
            json.writeNumberField("growthPerMinute", sighting.growthPerMinute());
            json.writeNumberField("current", sighting.current());
            json.writeNumberField("confidence", sighting.confidence());
            json.writeStringField("firstSeen", sighting.firstSeen());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }
}
