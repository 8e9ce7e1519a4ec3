package dev.leakwatch.analyzer.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.report.FleetTextWriter;
import dev.leakwatch.format.fleet.FleetJson;
import dev.leakwatch.format.fleet.FleetReport;
import dev.leakwatch.format.report.GaugeFinding;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Severity;
import dev.leakwatch.format.report.SnapshotSummary;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.format.report.Verdict;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grouping by fingerprint, what counts once and what is left out, and the text that shows it. */
class FleetGroupingTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void oneLeakInTwoReplicasIsOneEntryWithBothAndTheEarliestOnset() {
        FleetReport fleet = FleetGrouping.group(
                List.of(
                        named("a", 101, suspect("com.acme.Session", "aaaaaaaaaaaa", 2000, "2026-12-05T07:10:00Z")),
                        named("b", 102, suspect("com.acme.Session", "aaaaaaaaaaaa", 500, "2026-12-05T06:50:00Z")),
                        named("c", 103, suspect("com.acme.Listener", "cccccccccccc", 9000, "2026-12-05T07:00:00Z"))),
                CLOCK);
        assertEquals(
                List.of("a", "b", "c"),
                fleet.replicas().stream().map(FleetReport.Replica::name).toList());
        assertEquals(103L, fleet.replicas().get(2).pid());
        assertEquals(2, fleet.leaks().size());
        FleetReport.Leak session = fleet.leaks().get(0);
        assertEquals("aaaaaaaaaaaa", session.fingerprint(), "the leak in most replicas first, though it grows slower");
        assertEquals(
                List.of("a", "b"),
                session.sightings().stream().map(FleetReport.Sighting::replica).toList());
        assertEquals(2000, session.sightings().get(0).growthPerMinute());
        assertEquals(500, session.sightings().get(1).growthPerMinute());
        assertEquals("2026-12-05T06:50:00Z", session.firstSeen());
        assertEquals("retained-growth", session.kind());
        assertEquals("bytes", session.unit());
    }

    @Test
    void findingsGroupTooAndOldReportsAndDuplicatesAddNoSighting() {
        GaugeFinding threads =
                new GaugeFinding("threads", 0.9, 12, 92, "threads", "s", "e").withFingerprint("tttttttttttt");
        LeakReport withFinding = report(101, List.of(), List.of(threads));
        LeakReport twice = report(
                102,
                List.of(
                        suspect("com.acme.Session", "aaaaaaaaaaaa", 2000, "2026-12-05T07:10:00Z"),
                        suspect("com.acme.Session", "aaaaaaaaaaaa", 10, "2026-12-05T07:11:00Z")),
                List.of(threads));
        LeakReport schema5 = report(103, List.of(suspect("com.acme.Session", null, 100, null)), List.of());
        FleetReport fleet = FleetGrouping.group(
                List.of(
                        new FleetGrouping.NamedReport("a", withFinding),
                        new FleetGrouping.NamedReport("b", twice),
                        new FleetGrouping.NamedReport("old", schema5)),
                CLOCK);
        assertEquals(3, fleet.replicas().size());
        FleetReport.Leak threadLeak = fleet.leaks().get(0);
        assertEquals("threads", threadLeak.kind());
        assertEquals("threads", threadLeak.unit());
        assertEquals(2, threadLeak.sightings().size());
        assertEquals("2026-12-05T06:00:00Z", threadLeak.firstSeen(), "a finding's replicas' first snapshot");
        FleetReport.Leak session = fleet.leaks().get(1);
        assertEquals(1, session.sightings().size(), "one replica counts once, with its higher ranked suspect");
        assertEquals(2000, session.sightings().get(0).growthPerMinute());
    }

    @Test
    void theTextEscapesWhatComesFromRecordingsAndTheJsonHasEveryField() {
        FleetReport fleet = FleetGrouping.group(
                List.of(
                        named("pod\u001b[31m-1", 1, suspect("com.acme.Ses\u202Esion", "aaaaaaaaaaaa", 2000, null)),
                        named("pod-2", 2, suspect("com.acme.Ses\u202Esion", "aaaaaaaaaaaa", 1000, null))),
                CLOCK);
        String text = new FleetTextWriter().render(fleet);
        assertTrue(
                text.startsWith("leakwatch fleet report: 1 leak over 2 recordings, 1 of them in more than one.\n"),
                text);
        assertTrue(text.contains("aaaaaaaaaaaa com.acme.Ses\\u202esion  in 2 of 2 recordings\n"), text);
        assertTrue(text.contains("    pod\\u001b[31m-1  grows 2.0 KB/min"), text);
        assertTrue(text.chars().noneMatch(c -> c == 0x1b || c == 0x202e), text);

        String json = FleetJson.write(fleet);
        for (String field : List.of(
                "\"schemaVersion\" : 1",
                "\"generatedAt\" : \"2026-12-05T08:00:00Z\"",
                "\"replicaCount\" : 2",
                "\"fingerprint\" : \"aaaaaaaaaaaa\"",
                "\"firstSeen\" : null",
                "\"pid\" : 1")) {
            assertTrue(json.contains(field), () -> field + " in\n" + json);
        }
    }

    private static FleetGrouping.NamedReport named(String name, long pid, Suspect suspect) {
        return new FleetGrouping.NamedReport(name, report(pid, List.of(suspect), List.of()));
    }

    private static Suspect suspect(String className, String fingerprint, double growth, String firstSeen) {
        return new Suspect(
                        1,
                        className,
                        0.95,
                        Severity.HIGH,
                        growth,
                        10,
                        5000,
                        50,
                        firstSeen,
                        "s",
                        "e",
                        null,
                        List.of(),
                        List.of())
                .withFingerprint(fingerprint);
    }

    private static LeakReport report(long pid, List<Suspect> suspects, List<GaugeFinding> findings) {
        return new LeakReport(
                LeakReport.SCHEMA_VERSION,
                "2026-12-05T08:00:00Z",
                "/recordings/" + pid,
                suspects.isEmpty() && findings.isEmpty() ? Verdict.NO_LEAK_FOUND : Verdict.LEAK_SUSPECTED,
                "s",
                suspects,
                List.of(),
                findings,
                null,
                new SnapshotSummary(
                        40,
                        40,
                        0,
                        "2026-12-05T06:00:00Z",
                        "2026-12-05T07:30:00Z",
                        5400,
                        Map.of("live", 40),
                        10,
                        "option",
                        38,
                        pid,
                        "17"),
                null,
                List.of());
    }
}
