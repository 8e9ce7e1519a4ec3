package dev.leakwatch.format.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet report's JSON reads back as written, and what is not one of its versions is refused by name. */
class FleetJsonTest {
    static FleetReport handMade() {
        return new FleetReport(
                FleetReport.SCHEMA_VERSION,
                "2026-12-05T08:00:00Z",
                List.of(
                        new FleetReport.Replica(
                                "pod-1", "leak-suspected", 101L, "2026-12-05T06:00:00Z", "2026-12-05T07:00:00Z", 1),
                        new FleetReport.Replica("pod-2", "not-enough-data", null, null, null, 0)),
                List.of(
                        new FleetReport.Leak(
                                "9a486c71bf3d",
                                "retained-growth",
                                "com.acme.Session",
                                "bytes",
                                "2026-12-05T06:10:00Z",
                                List.of(new FleetReport.Sighting(
                                        "pod-1", 2101564.5, 3512784, 1.0, "2026-12-05T06:10:00Z"))),
                        new FleetReport.Leak(
                                "ee5c45bcb699",
                                "threads",
                                "threads",
                                "threads",
                                null,
                                List.of(new FleetReport.Sighting("pod-1", 12, 92, 0.9, null)))));
    }

    @Test
    void readsBackAsWritten() throws IOException {
        FleetReport report = handMade();
        String json = FleetJson.write(report);
        assertEquals(report, FleetJson.read(json));
        assertTrue(json.contains("\"replicaCount\" : 1"), json);
    }

    @Test
    void aNewerSchemaAnUnknownFieldAndAWrongTypeAreRefusedByName() {
        String json = FleetJson.write(handMade());
        IOException newer = assertThrows(
                IOException.class,
                () -> FleetJson.read(json.replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 2")));
        assertTrue(newer.getMessage().contains("upgrade"), newer.getMessage());
        IOException unknown =
                assertThrows(IOException.class, () -> FleetJson.read(json.replace("\"kind\" :", "\"sort\" :")));
        assertTrue(unknown.getMessage().contains("unknown field 'sort'"), unknown.getMessage());
        IOException type = assertThrows(
                IOException.class, () -> FleetJson.read(json.replace("\"suspects\" : 1", "\"suspects\" : \"1\"")));
        assertTrue(type.getMessage().contains("expected a whole number"), type.getMessage());
        assertThrows(IOException.class, () -> FleetJson.read("[]"));
        assertThrows(IOException.class, () -> FleetJson.read(json.substring(0, json.length() / 2)));
    }
}
