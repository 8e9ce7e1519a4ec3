package dev.leakwatch.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.samples.Sample;
import dev.leakwatch.samples.SampleCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * leakwatch's findings land in a JFR recording of the same JVM, where JDK Mission Control shows them next to GC and
 * allocation events: a leaking sample under the agent and {@code -XX:StartFlightRecording}, and the recording it
 * leaves at exit read back with the JDK's own reader: snapshots, the suspect, and who holds it.
 */
@Tag("e2e")
@Execution(ExecutionMode.CONCURRENT)
class JfrEventsIT {
    private static final Sample SAMPLE = SampleCatalog.byName("static-cache").orElseThrow();

    @Test
    void snapshotsAndTheLeakSuspectAreJfrEvents(@TempDir Path workDir) throws Exception {
        Path output = workDir.resolve("out");
        Path recording = workDir.resolve("rec.jfr");
        try (ForkedJvm jvm = ForkedJvm.startSample(
                ForkedJvm.DEFAULT_JAVA,
                workDir,
                "output=" + output + ",interval=1s,report=2s,budget=10%",
                List.of("-XX:StartFlightRecording=filename=" + recording + ",settings=default"),
                SAMPLE.name(),
                "--duration",
                "45s")) {
            assertEquals(0, jvm.waitForExit(120), jvm::stderr);
        }
        assertTrue(Files.size(recording) > 0, "no JFR recording at " + recording);

        List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
        List<RecordedEvent> snapshots = ofType(events, "leakwatch.Snapshot");
        List<RecordedEvent> suspects = ofType(events, "leakwatch.LeakSuspect");
        Map<String, Long> counts = events.stream()
                .filter(event -> event.getEventType().getName().startsWith("leakwatch."))
                .collect(Collectors.groupingBy(event -> event.getEventType().getName(), Collectors.counting()));

        assertFalse(snapshots.isEmpty(), () -> "leakwatch events in the recording: " + counts);
        for (RecordedEvent snapshot : snapshots) {
            assertTrue(snapshot.getInt("classes") > 0, snapshot::toString);
            assertTrue(snapshot.getLong("histogramBytes") > 0, snapshot::toString);
            assertFalse(snapshot.getString("histogramKind").isEmpty(), snapshot::toString);
        }

        List<RecordedEvent> theLeak = suspects.stream()
                .filter(suspect -> SAMPLE.leakingClass().equals(suspect.getString("className")))
                .toList();
        assertFalse(
                theLeak.isEmpty(),
                () -> "no leakwatch.LeakSuspect for " + SAMPLE.leakingClass() + "; suspects: "
                        + suspects.stream()
                                .map(suspect -> suspect.getString("className"))
                                .distinct()
                                .toList()
                        + "; leakwatch events: " + counts);
        for (RecordedEvent suspect : theLeak) {
            assertTrue(suspect.getInt("rank") >= 1, suspect::toString);
            assertTrue(suspect.getDouble("confidence") >= 0.5, suspect::toString);
            assertTrue(suspect.getLong("growthBytesPerMinute") > 0, suspect::toString);
            assertTrue(suspect.getString("fingerprint").matches("[0-9a-f]{12}"), suspect::toString);
        }

        // Issue 14: the confirmed suspect's holders, found during the recording.
        List<RecordedEvent> chains = ofType(events, "leakwatch.RetentionChain").stream()
                .filter(chain -> SAMPLE.leakingClass().equals(chain.getString("className")))
                .toList();
        assertFalse(chains.isEmpty(), () -> "no leakwatch.RetentionChain; leakwatch events: " + counts);
        assertTrue(
                chains.stream()
                        .anyMatch(chain -> "static-field".equals(chain.getString("rootKind"))
                                && chain.getString("chain")
                                        .startsWith("dev.leakwatch.samples.leaks.StaticCacheLeak.SESSIONS")
                                && chain.getInt("objects") > 0
                                && chain.getInt("passes") > 0),
                () -> "chains: " + chains);
    }

    private static List<RecordedEvent> ofType(List<RecordedEvent> events, String name) {
        return events.stream()
                .filter(event -> event.getEventType().getName().equals(name))
                .toList();
    }
}
