package dev.leakwatch.cli;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.MB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.noise;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.analyzer.analysis.SyntheticRecording;
import dev.leakwatch.format.SnapshotCodec;
import dev.leakwatch.format.SnapshotFormat;
import dev.leakwatch.format.model.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze DIR1 DIR2 DIR3} on three recordings of which two share a leak: the shared leak is one entry with its
 * fingerprint, both replicas, the growth in each and the earliest onset; the third replica's own leak is another.
 */
class FleetViewTest {
    private static final String SESSION = "com.acme.Session";
    private static final String LISTENER = "com.acme.Listener";

    @TempDir
    Path temp;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private Path fleet;

    @BeforeEach
    void threeReplicas() throws IOException {
        fleet = Files.createDirectories(temp.resolve("fleet"));
        record("replica-a", leaking(SESSION, 3_000).snapshots());
        // Another JVM of the same service: its own pace, a longer run and another rate of growth.
        record("replica-b", leaking(SESSION, 1_200).every(Duration.ofSeconds(7)).snapshots());
        record("replica-c", leaking(LISTENER, 2_000).snapshots());
    }

    @Test
    void twoReplicasSharingALeakGiveOneLeakWithBoth() throws IOException {
        int exit = run(
                "analyze",
                "--format",
                "json",
                fleet.resolve("replica-a").toString(),
                fleet.resolve("replica-b").toString(),
                fleet.resolve("replica-c").toString());
        assertEquals(ExitCode.LEAK_FOUND, exit, this::err);
        assertEquals("", err());
        JsonNode report = new ObjectMapper().readTree(out());
        assertEquals(1, report.path("schemaVersion").asInt());
        assertEquals(3, report.path("replicas").size());

        List<JsonNode> sessions = leaksNamed(report, SESSION);
        List<JsonNode> listeners = leaksNamed(report, LISTENER);
        assertEquals(1, sessions.size(), out());
        assertEquals(1, listeners.size(), out());
        JsonNode session = sessions.get(0);
        JsonNode listener = listeners.get(0);
        assertNotEquals(
                session.path("fingerprint").asText(),
                listener.path("fingerprint").asText());
        assertEquals(session, report.path("leaks").get(0), "the leak in most replicas comes first");

        assertEquals(2, session.path("replicaCount").asInt());
        JsonNode inA = session.path("sightings").get(0);
        JsonNode inB = session.path("sightings").get(1);
        assertTrue(inA.path("replica").asText().endsWith("replica-a"), inA::toString);
        assertTrue(inB.path("replica").asText().endsWith("replica-b"), inB::toString);
        assertTrue(
                inA.path("growthPerMinute").asDouble()
                        > 2 * inB.path("growthPerMinute").asDouble(),
                "each replica's own growth: " + session);
        String earliest =
                inA.path("firstSeen").asText().compareTo(inB.path("firstSeen").asText()) <= 0
                        ? inA.path("firstSeen").asText()
                        : inB.path("firstSeen").asText();
        assertEquals(earliest, session.path("firstSeen").asText());
        assertEquals("bytes", session.path("unit").asText());

        assertEquals(1, listener.path("replicaCount").asInt());
        assertTrue(listener.path("sightings").get(0).path("replica").asText().endsWith("replica-c"));
    }

    @Test
    void aDirectoryOfRecordingsIsTheSameFleetInText() throws IOException {
        assertEquals(ExitCode.LEAK_FOUND, run("analyze", fleet.toString()), this::err);
        String text = out();
        assertTrue(
                text.startsWith("leakwatch fleet report: 2 leaks over 3 recordings, 1 of them in more than one."),
                text);
        String sessionLine =
                text.lines().filter(line -> line.contains(SESSION)).findFirst().orElseThrow();
        assertTrue(sessionLine.contains("in 2 of 3 recordings, first seen "), sessionLine);
        assertTrue(text.contains("\n    replica-a  grows "), text);
        assertTrue(text.contains("\n    replica-b  grows "), text);
        assertTrue(text.contains("\n    replica-c  leak-suspected, 1 suspect"), text);
    }

    @Test
    void theFleetViewAsAPageAndItsMistakes() throws IOException {
        Path page = temp.resolve("fleet.html");
        assertEquals(
                ExitCode.LEAK_FOUND,
                run("analyze", fleet.toString(), "--format", "html", "--out", page.toString()),
                this::err);
        String html = Files.readString(page);
        assertTrue(html.contains("<h1>leakwatch fleet report</h1>"), html);
        assertTrue(html.contains("in 2 of 3 recordings"), html);
        assertTrue(html.contains("<code>replica-a</code>"), html);
        assertEquals(ExitCode.BAD_INPUT, run("analyze", fleet.toString(), "--format", "summary"));
        assertTrue(err().contains("the fleet view of several recordings is text, json or html"), err());
    }

    @Test
    void fleetOfFlatRecordingsExits0AndOfTooShortOnesExits4() throws IOException {
        Path calm = Files.createDirectories(temp.resolve("calm"));
        SyntheticRecording flat = SyntheticRecording.create()
                .withObjects("java.lang.String", 24, constant(400_000).plus(noise(3_000, 1)))
                .withObjects(SESSION, 40, constant(1_000));
        write(calm.resolve("one"), flat.snapshots());
        write(calm.resolve("two"), flat.snapshots());
        assertEquals(ExitCode.NO_LEAK, run("analyze", calm.toString()), this::err);
        assertTrue(out().startsWith("leakwatch fleet report: 0 leaks over 2 recordings"), out());

        Path brief = Files.createDirectories(temp.resolve("brief"));
        write(brief.resolve("one"), flat.lasting(Duration.ofSeconds(6)).snapshots());
        write(brief.resolve("two"), flat.lasting(Duration.ofSeconds(6)).snapshots());
        assertEquals(ExitCode.NOT_ENOUGH_DATA, run("analyze", brief.toString()), this::err);
    }

    @Test
    void aRecordingItselfIsNeverTakenForAFleet() throws Exception {
        assertEquals(List.of(), SeriesReader.recordingsIn(fleet.resolve("replica-a")));
        assertEquals(3, SeriesReader.recordingsIn(fleet).size());
        assertEquals(
                ExitCode.LEAK_FOUND, run("analyze", fleet.resolve("replica-a").toString()), this::err);
        assertTrue(out().startsWith("leakwatch report: leak-suspected."), out());
    }

    private static List<JsonNode> leaksNamed(JsonNode report, String name) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode leak : report.path("leaks")) {
            if (leak.path("name").asText().equals(name)) {
                found.add(leak);
            }
        }
        return found;
    }

    private static SyntheticRecording leaking(String className, double perMinute) {
        return SyntheticRecording.create()
                .withObjects("java.lang.String", 24, constant(400_000).plus(noise(3_000, 1)))
                .withClass("java.lang.Object[]", constant(2 * MB).plus(noise(MB, 2)), constant(20_000))
                .withObjects(className, 400, linear(1_000, perMinute));
    }

    private int run(String... args) {
        stdout.reset();
        stderr.reset();
        return AnalyzerMain.run(
                args,
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return stderr.toString(StandardCharsets.UTF_8);
    }

    private void record(String name, List<Snapshot> snapshots) throws IOException {
        write(fleet.resolve(name), snapshots);
    }

    /** As the agent writes: one gzip member per record. */
    private static void write(Path directory, List<Snapshot> snapshots) throws IOException {
        Files.createDirectories(directory);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Snapshot snapshot : snapshots) {
            ByteArrayOutputStream member = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(member)) {
                gzip.write(SnapshotCodec.encode(snapshot));
            }
            bytes.writeBytes(member.toByteArray());
        }
        Files.write(directory.resolve(SnapshotFormat.segmentFileName(0)), bytes.toByteArray());
    }
}
