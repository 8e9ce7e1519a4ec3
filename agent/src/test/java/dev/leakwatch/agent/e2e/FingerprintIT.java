package dev.leakwatch.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.leakwatch.agent.testing.Java25Home;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.samples.Sample;
import dev.leakwatch.samples.SampleCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One leak has one fingerprint across replicas and restarts: two JVMs of the same leaking sample at once (different
 * PIDs, start times and heap sizes) and a restart of one of them (on Java 25 where installed) give the leak the same
 * fingerprint; another sample's
 * leak gets another. Then {@code analyze} of the three recordings (the fleet view) groups the two replicas' leak.
 *
 * <p>A suspect's fingerprint takes the first application frame of its top allocation site, which allocation tracking
 * names once the leaked objects have outlived a snapshot; each JVM's fingerprint is read once its report names that
 * site (docs/formats.md, "Fingerprints").
 */
@Tag("e2e")
class FingerprintIT {
    private static final Sample CACHE = SampleCatalog.byName("static-cache").orElseThrow();
    private static final Sample LISTENERS = SampleCatalog.byName("listeners").orElseThrow();
    private static final Path ANALYZER_JAR = Path.of(System.getProperty("leakwatch.analyzerJar", "missing"));

    @Test
    void replicasAndARestartAgreeAndAnotherLeakDiffers(@TempDir Path workDir) throws Exception {
        Path replicaA = workDir.resolve("replica-a");
        Path replicaB = workDir.resolve("replica-b");
        Path other = workDir.resolve("other-service");
        String fingerprintA;
        String fingerprintB;
        String fingerprintOther;
        long pidA;
        long pidB;
        try (ForkedJvm a = start(replicaA, "-Xmx192m", CACHE);
                ForkedJvm b = start(replicaB, "-Xmx384m", CACHE);
                ForkedJvm c = start(other, "-Xmx256m", LISTENERS)) {
            pidA = a.pid();
            pidB = b.pid();
            fingerprintA = fingerprintOnceLocated(a, replicaA, CACHE);
            fingerprintB = fingerprintOnceLocated(b, replicaB, CACHE);
            fingerprintOther = fingerprintOnceLocated(c, other, LISTENERS);
            a.terminate();
            b.terminate();
            c.terminate();
        }
        assertNotEquals(pidA, pidB);
        assertEquals(fingerprintA, fingerprintB, "two replicas of one leak");
        assertNotEquals(fingerprintA, fingerprintOther, "two different leaks");

        // The restart runs on Java 25 where one is installed: another JDK build names its lambdas and hidden classes
        // otherwise, which must not matter.
        Path restarted = workDir.resolve("replica-a-restarted");
        Path restartJava = Java25Home.find()
                .map(home -> home.resolve("bin").resolve("java"))
                .orElse(ForkedJvm.DEFAULT_JAVA);
        try (ForkedJvm again = start(restartJava, restarted, "-Xmx256m", CACHE)) {
            assertNotEquals(pidA, again.pid());
            assertEquals(
                    fingerprintA, fingerprintOnceLocated(again, restarted, CACHE), "after a restart on " + restartJava);
            again.terminate();
        }

        JsonNode fleet = analyze(workDir, replicaA, replicaB, other);
        JsonNode shared = leakNamed(fleet, CACHE.leakingClass());
        assertEquals(fingerprintA, shared.path("fingerprint").asText(), shared::toString);
        List<String> replicas = new ArrayList<>();
        shared.path("sightings")
                .forEach(sighting -> replicas.add(sighting.path("replica").asText()));
        assertEquals(List.of(replicaA.toString(), replicaB.toString()), replicas, shared::toString);
        JsonNode theOther = leakNamed(fleet, LISTENERS.leakingClass());
        assertEquals(fingerprintOther, theOther.path("fingerprint").asText(), theOther::toString);
        assertEquals(1, theOther.path("replicaCount").asInt(), theOther::toString);
    }

    private static ForkedJvm start(Path output, String heap, Sample sample) {
        return start(ForkedJvm.DEFAULT_JAVA, output, heap, sample);
    }

    private static ForkedJvm start(Path java, Path output, String heap, Sample sample) {
        return ForkedJvm.startSample(
                java,
                output.resolveSibling(output.getFileName() + "-work"),
                "output=" + output + "," + SampleDetectionIT.AGENT_ARGUMENTS,
                List.of(heap),
                sample.name(),
                "--duration",
                "600s");
    }

    /** The leak's fingerprint in the JVM's newest report, once that report names the sample's allocating method. */
    private static String fingerprintOnceLocated(ForkedJvm jvm, Path output, Sample sample) {
        AtomicReference<LeakReport> seen = new AtomicReference<>();
        try {
            await().atMost(SampleDetectionIT.DETECTION_DEADLINE.plusSeconds(30))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        assertTrue(jvm.isAlive(), () -> "sample JVM ended early; stderr:\n" + jvm.stderr());
                        Optional<LeakReport> report = Reports.read(output);
                        report.ifPresent(seen::set);
                        return report.flatMap(
                                        r -> Reports.firstSiteFrame(r, sample.leakingClass(), sample.leakingMethod()))
                                .isPresent();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    sample.name() + ": no suspect " + sample.leakingClass() + " allocated at " + sample.leakingMethod()
                            + "; suspects: "
                            + (seen.get() == null ? "no report" : Reports.suspectNames(seen.get())) + "\nstderr:\n"
                            + jvm.stderr(),
                    e);
        }
        Suspect suspect = seen.get().suspects().stream()
                .filter(s -> s.className().equals(sample.leakingClass()))
                .findFirst()
                .orElseThrow();
        assertTrue(suspect.fingerprint() != null && suspect.fingerprint().matches("[0-9a-f]{12}"), suspect::toString);
        return suspect.fingerprint();
    }

    /** {@code java -jar leakwatch-analyzer.jar analyze --format json DIR...}: the fleet view, as a user runs it. */
    private static JsonNode analyze(Path workDir, Path... recordings) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                ForkedJvm.DEFAULT_JAVA.toString(), "-jar", ANALYZER_JAR.toString(), "analyze", "--format", "json"));
        for (Path recording : recordings) {
            command.add(recording.toString());
        }
        Path out = workDir.resolve("fleet.json");
        Path err = workDir.resolve("fleet.err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "analyze did not finish");
        assertEquals(3, process.exitValue(), () -> "analyze exits 3 on a leak; stderr: " + readQuietly(err));
        return new ObjectMapper().readTree(Files.readString(out));
    }

    private static JsonNode leakNamed(JsonNode fleet, String className) {
        for (JsonNode leak : fleet.path("leaks")) {
            if (leak.path("name").asText().equals(className)) {
                return leak;
            }
        }
        throw new AssertionError("no leak named " + className + " in the fleet view:\n" + fleet.toPrettyString());
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "(unreadable)";
        }
    }
}
