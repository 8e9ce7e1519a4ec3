package dev.leakwatch.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.cli.SeriesReader;
import dev.leakwatch.format.model.ClassCount;
import dev.leakwatch.format.model.HistogramKind;
import dev.leakwatch.format.model.Snapshot;
import dev.leakwatch.format.report.LeakReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent's own work leaves in the host: every class it loads is a class in the histograms it takes, and CPU
 * the host pays for at start-up.
 */
@Tag("e2e")
class AgentFootprintIT {

    /**
     * Every class the agent loads while recording is a class in the histograms it takes, and a stream of them reads as
     * a class-loader leak. So the agent loads what it needs before its first snapshot, and nothing once its first
     * reports are out. Snapshots and reports are written with Jackson's streaming generator: data binding alone loaded
     * about 430 classes into the host, and its reflective getter calls made Java 17 generate accessor classes.
     */
    @Test
    void onceItsFirstReportsAreOutTheAgentLoadsNoMoreClassesAndNeverDataBinding(@TempDir Path workDir)
            throws Exception {
        Path output = workDir.resolve("out");
        Path classLog = workDir.resolve("classes.log");
        List<String> early;
        List<String> loaded;
        try (ForkedJvm jvm = ForkedJvm.startSample(
                ForkedJvm.DEFAULT_JAVA,
                workDir,
                "output=" + output + ",interval=300ms,report=1s,budget=50%",
                List.of("-Xlog:class+load=info:file=" + classLog),
                "static-cache")) {
            long firstCount = await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> reportOver(output, 3), Optional::isPresent)
                    .orElseThrow()
                    .snapshots()
                    .count();
            // A report on disk is written midway through its refresh; a later report proves that refresh has ended.
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> reportOver(output, firstCount + 1).isPresent());
            early = Files.readAllLines(classLog);
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> reportOver(output, firstCount + 6).isPresent());
            loaded = Files.readAllLines(classLog); // before the exit, which loads a few classes of its own
            jvm.terminate();
            LeakReport report = Reports.read(output).orElseThrow();
            assertEquals(0L, report.agent().suppressedErrors(), jvm::stderr);
        }
        List<String> dataBinding = loaded.stream()
                .filter(line -> line.contains(".jackson.databind."))
                .toList();
        assertTrue(
                dataBinding.isEmpty(),
                () -> dataBinding.size() + " data-binding classes, first: " + dataBinding.get(0));

        assertTrue(
                early.stream().anyMatch(line -> line.contains("dev.leakwatch.analyzer.report.TextReportWriter ")),
                "a report was written before the first reading of the class log");
        List<String> laterOnes = loaded.subList(early.size(), loaded.size()).stream()
                .filter(line -> line.contains("dev.leakwatch.")
                        || line.contains("GeneratedMethodAccessor")
                        || line.contains("GeneratedConstructorAccessor"))
                .toList();
        assertTrue(laterOnes.isEmpty(), () -> "classes loaded for the agent between reports: " + laterOnes);
    }

    /**
     * The agent names its analysis table's objects in each snapshot so that the analysis can take them out of the
     * histogram (its growth as new allocation paths turn up once read as a leak of long[]). What it names must be
     * there: in a live histogram, at most what the JVM counted of each class.
     */
    @Test
    void theObjectsTheAgentNamesAsItsOwnAreInTheHistogram(@TempDir Path workDir) throws Exception {
        Path output = workDir.resolve("out");
        try (ForkedJvm jvm = ForkedJvm.startSample(
                ForkedJvm.DEFAULT_JAVA,
                workDir,
                "output=" + output + ",interval=300ms,report=1s,budget=50%,samplingBytes=16k",
                List.of(),
                "listeners")) {
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> reportOver(output, 8).isPresent());
            jvm.terminate();
        }
        List<Snapshot> snapshots =
                SeriesReader.read(output, SeriesReader.DEFAULT_MAX_POINTS).snapshots();
        assertTrue(snapshots.size() >= 8, "snapshots: " + snapshots.size());
        for (Snapshot snapshot : snapshots) {
            Map<String, Long> owned = snapshot.agentOwned().stream()
                    .collect(Collectors.toMap(ClassCount::className, ClassCount::bytes, Long::sum));
            assertTrue(owned.getOrDefault("long[]", 0L) > 0, () -> "snapshot " + snapshot.sequence() + ": " + owned);
            if (snapshot.histogram().kind() != HistogramKind.LIVE) {
                continue;
            }
            Map<String, Long> counted = new HashMap<>();
            for (int row = 0; row < snapshot.histogram().size(); row++) {
                counted.merge(
                        snapshot.histogram().className(row),
                        snapshot.histogram().bytes(row),
                        Long::sum);
            }
            owned.forEach((className, bytes) -> assertTrue(
                    bytes <= counted.getOrDefault(className, 0L),
                    () -> "snapshot " + snapshot.sequence() + " names " + bytes + " bytes of " + className
                            + " as the agent's, the histogram counted " + counted.get(className)));
        }
        Snapshot last = snapshots.get(snapshots.size() - 1);
        assertTrue(
                last.allocations().map(stats -> !stats.paths().isEmpty()).orElse(false),
                "allocation paths were tracked, so the table has path columns");
    }

    private static Optional<LeakReport> reportOver(Path output, long snapshots) {
        return Reports.read(output).filter(report -> report.snapshots().count() >= snapshots);
    }
}
