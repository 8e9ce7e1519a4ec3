package dev.leakwatch.format.fleet;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a fleet report back ({@link FleetJson#read}), strictly: a field the schema does not have, a value of the wrong
 * type or a schema version newer than this build's is refused with a message naming it. Every version this build has
 * written reads (there is one so far).
 */
final class FleetJsonReader {
    private static final JsonFactory JSON = new JsonFactory();

    private FleetJsonReader() {}

    static FleetReport read(String json) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, "a fleet report");
            int schemaVersion = 0;
            String generatedAt = null;
            List<FleetReport.Replica> replicas = List.of();
            List<FleetReport.Leak> leaks = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "schemaVersion" -> schemaVersion = integer(p);
                    case "generatedAt" -> generatedAt = text(p);
                    case "replicas" -> replicas = replicas(p);
                    case "leaks" -> leaks = leaks(p);
                    default -> throw unknown(p, field);
                }
            }
            if (schemaVersion < 1 || schemaVersion > FleetReport.SCHEMA_VERSION) {
                throw new JsonParseException(
                        p,
                        "fleet report schema " + schemaVersion + " is not one this leakwatch reads (1 to "
                                + FleetReport.SCHEMA_VERSION + "); a newer leakwatch wrote it: upgrade");
            }
            return new FleetReport(schemaVersion, generatedAt, replicas, leaks);
        }
    }

    private static List<FleetReport.Replica> replicas(JsonParser p) throws IOException {
        List<FleetReport.Replica> replicas = new ArrayList<>();
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "replicas");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p, p.currentToken(), JsonToken.START_OBJECT, "a replica");
            String name = null;
            String verdict = null;
            Long pid = null;
            String first = null;
            String last = null;
            int suspects = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "name" -> name = text(p);
                    case "verdict" -> verdict = text(p);
                    case "pid" -> pid = p.currentToken() == JsonToken.VALUE_NULL ? null : longValue(p);
                    case "first" -> first = text(p);
                    case "last" -> last = text(p);
                    case "suspects" -> suspects = integer(p);
                    default -> throw unknown(p, field);
                }
            }
            replicas.add(new FleetReport.Replica(name, verdict, pid, first, last, suspects));
        }
        return replicas;
    }

    private static List<FleetReport.Leak> leaks(JsonParser p) throws IOException {
        List<FleetReport.Leak> leaks = new ArrayList<>();
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "leaks");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p, p.currentToken(), JsonToken.START_OBJECT, "a leak");
            String fingerprint = null;
            String kind = null;
            String name = null;
            String unit = null;
            String firstSeen = null;
            List<FleetReport.Sighting> sightings = List.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "fingerprint" -> fingerprint = text(p);
                    case "kind" -> kind = text(p);
                    case "name" -> name = text(p);
                    case "unit" -> unit = text(p);
                    case "firstSeen" -> firstSeen = text(p);
                    case "replicaCount" -> integer(p); // the length of sightings, written for readers' convenience
                    case "sightings" -> sightings = sightings(p);
                    default -> throw unknown(p, field);
                }
            }
            leaks.add(new FleetReport.Leak(fingerprint, kind, name, unit, firstSeen, sightings));
        }
        return leaks;
    }

    private static List<FleetReport.Sighting> sightings(JsonParser p) throws IOException {
        List<FleetReport.Sighting> sightings = new ArrayList<>();
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "sightings");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p, p.currentToken(), JsonToken.START_OBJECT, "a sighting");
            String replica = null;
            double growthPerMinute = 0;
            double current = 0;
            double confidence = 0;
            String firstSeen = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "replica" -> replica = text(p);
                    case "growthPerMinute" -> growthPerMinute = number(p);
                    case "current" -> current = number(p);
                    case "confidence" -> confidence = number(p);
                    case "firstSeen" -> firstSeen = text(p);
                    default -> throw unknown(p, field);
                }
            }
            sightings.add(new FleetReport.Sighting(replica, growthPerMinute, current, confidence, firstSeen));
        }
        return sightings;
    }

    private static String text(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, p.currentToken(), JsonToken.VALUE_STRING, "a string");
        return p.getText();
    }

    private static int integer(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.VALUE_NUMBER_INT, "a whole number");
        return p.getIntValue();
    }

    private static long longValue(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.VALUE_NUMBER_INT, "a whole number");
        return p.getLongValue();
    }

    /** A number; the writer writes NaN nowhere, but a float field may hold a whole number. */
    private static double number(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new JsonParseException(p, "expected a number, found " + token);
        }
        return p.getDoubleValue();
    }

    private static void expect(JsonParser p, JsonToken found, JsonToken expected, String what) throws IOException {
        if (found != expected) {
            throw new JsonParseException(p, "expected " + what + ", found " + found);
        }
    }

    private static JsonParseException unknown(JsonParser p, String field) {
        return new JsonParseException(p, "unknown field '" + field + "' in a fleet report");
    }
}
