package dev.leakwatch.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.cli.SeriesReader;
import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.model.SnapshotSeries;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.segment.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the agent promises the host and the user when things go wrong: bad options, a crash, the JVM's exit. */
@Tag("e2e")
class AgentRobustnessIT {
    private static final Path ANALYZER_JAR = Path.of(System.getProperty("leakwatch.analyzerJar", "missing"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "interval=5x|[leakwatch] not started: option 'interval': '5x' is not a duration (use a number with ms, s, m or h, e.g. 500ms, 10s, 1m); the application runs without leakwatch",
                "colour=red|[leakwatch] not started: unknown option 'colour' (options: output, interval, report, maxDisk, warmup, budget, maxPause, window, allocations, sampling, sampler, samplingBytes, maxSampleRate, include, exclude, stackDepth, maxTracked, fileMode, holders, holdersEvery); the application runs without leakwatch",
            })
    void badOptionsPrintOneLineAndTheApplicationRunsWithoutTheAgent(
            String options, String expectedLine, @TempDir Path workDir) throws Exception {
        try (ForkedJvm jvm = ForkedJvm.startSample(
                ForkedJvm.DEFAULT_JAVA, workDir, options, List.of(), "static-cache", "--duration", "2s")) {
            assertEquals(0, jvm.waitForExit(60), () -> "stderr:\n" + jvm.stderr());
            assertTrue(jvm.stdout().contains("sample static-cache finished"), jvm::stdout);
            assertEquals(List.of(expectedLine), jvm.stderr().lines().toList());
            try (Stream<Path> files = Files.list(workDir)) {
                assertTrue(
                        files.noneMatch(file -> file.getFileName().toString().startsWith("leakwatch-")),
                        "no recording directory without a recording");
            }
        }
    }

    /**
     * A short-lived JVM with the agent in {@code JAVA_TOOL_OPTIONS} (issue 16: {@code java -version} left a
     * {@code leakwatch-<pid>} directory in every working directory): with no {@code output}, or with one, a JVM that
     * ends before the first snapshot creates no directory and prints no error.
     */
    @ParameterizedTest(name = "agent options ''{0}''")
    @CsvSource(value = {"''", "output=out"})
    void aJvmThatEndsBeforeTheFirstSnapshotLeavesNoDirectory(String options, @TempDir Path workDir) throws Exception {
        try (ForkedJvm jvm = ForkedJvm.startMain(
                ForkedJvm.DEFAULT_JAVA, workDir, options, List.of(), "dev.leakwatch.samples.SampleMain", "--list")) {
            assertEquals(0, jvm.waitForExit(60), () -> "stderr:\n" + jvm.stderr());
            assertTrue(jvm.stdout().contains("static-cache"), jvm::stdout);
            assertFalse(jvm.stderr().contains("not started"), jvm::stderr);
            try (Stream<Path> files = Files.list(workDir)) {
                List<String> left = files.map(file -> file.getFileName().toString())
                        .filter(name -> name.startsWith("leakwatch-") || name.equals("out"))
                        .toList();
                assertEquals(List.of(), left, () -> "stderr:\n" + jvm.stderr());
            }
        }
    }

    /**
     * Where the JVM's heap sampler cannot load (here: a temporary directory that does not exist, as a {@code noexec}
     * one would refuse it), {@code sampler=auto} says why in one line and instruments allocation sites instead, and
     * {@code sampler=jvm} says it tracks no allocations; the application runs either way. Retention chains, which
     * need the same library, are unavailable, said in one line too.
     */
    @ParameterizedTest(name = "sampler={0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "auto|[leakwatch] the JVM's heap sampler is unavailable (could not copy the native library to ",
                "jvm|[leakwatch] allocation tracking off: sampler=jvm, but the JVM's heap sampler is unavailable: could not copy the native library to ",
            })
    void whereTheJvmSamplerCannotLoadItSaysWhyAndTheApplicationRuns(
            String sampler, String expectedStart, @TempDir Path workDir) throws Exception {
        Path output = workDir.resolve("out");
        Path missing = workDir.resolve("no-such-tmp");
        try (ForkedJvm jvm = ForkedJvm.startSample(
                ForkedJvm.DEFAULT_JAVA,
                workDir,
                "output=" + output + ",interval=1s,report=2s,budget=50%,allocations=on,sampler=" + sampler,
                List.of("-Djava.io.tmpdir=" + missing),
                "static-cache",
                "--duration",
                "30s")) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> Reports.read(output)
                            .filter(r -> r.snapshots().count() >= 3)
                            .isPresent());
            List<String> lines = jvm.stderr()
                    .lines()
                    .filter(line -> line.startsWith(expectedStart))
                    .toList();
            assertEquals(1, lines.size(), jvm::stderr);
            assertTrue(lines.get(0).contains(missing.toString()), jvm::stderr);
            // Retention chains need the same library: one line says so, and the reports go on without chains.
            List<String> holders = jvm.stderr()
                    .lines()
                    .filter(line ->
                            line.startsWith("[leakwatch] holders unavailable, reports name no retention chains: "))
                    .toList();
            assertEquals(1, holders.size(), jvm::stderr);
            assertTrue(holders.get(0).contains(missing.toString()), jvm::stderr);
            LeakReport report = Reports.read(output).orElseThrow();
            if (sampler.equals("auto")) {
                assertEquals(
                        AllocationSampler.INSTRUMENTATION,
                        report.agent().allocationTracking().sampler(),
                        jvm::stderr);
            } else {
                assertEquals(null, report.agent().allocationTracking(), jvm::stderr);
            }
            assertEquals(0L, report.agent().suppressedErrors(), jvm::stderr);
            assertTrue(jvm.isAlive(), jvm::stderr);
        }
    }

    @Test
    void killMinus9LeavesEverySnapshotReadable(@TempDir Path workDir) throws Exception {
        Path output = workDir.resolve("out");
        long written;
        try (ForkedJvm jvm = ForkedJvm.startSample(
                ForkedJvm.DEFAULT_JAVA,
                workDir,
                "output=" + output + ",interval=200ms,budget=50%",
                List.of(),
                "static-cache")) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> recordsReadable(output) >= 8);
            jvm.kill();
            written = recordsReadable(output);
        }
        SnapshotSeries series = SeriesReader.read(output, SeriesReader.DEFAULT_MAX_POINTS);
        assertTrue(series.recordsRead() >= 8, "records read after kill -9: " + series.recordsRead());
        assertTrue(series.recordsRead() >= written, "no record that was readable before the kill is lost");
        assertTrue(series.skippedRecords() <= 1, "at most the record being written is torn: " + series.warnings());

        Process analyzer = new ProcessBuilder(
                        ForkedJvm.DEFAULT_JAVA.toString(),
                        "-jar",
                        ANALYZER_JAR.toString(),
                        "analyze",
                        output.toString(),
                        "--format",
                        "json")
                .redirectErrorStream(true)
                .start();
        String out = new String(analyzer.getInputStream().readAllBytes());
        assertTrue(analyzer.waitFor(60, TimeUnit.SECONDS));
        // A verdict, whichever: 0 no leak, 3 leak suspected, 4 not enough data (a short recording); not 1 or 2.
        assertTrue(
                analyzer.exitValue() == 0 || analyzer.exitValue() == 3 || analyzer.exitValue() == 4,
                "the CLI reads a killed recording: " + out);
    }

    @Test
    void theFinalReportIsWrittenAtExit(@TempDir Path workDir) throws Exception {
        Path output = workDir.resolve("out");
        try (ForkedJvm jvm = ForkedJvm.startSample(
                ForkedJvm.DEFAULT_JAVA,
                workDir,
                "output=" + output + ",interval=500ms,report=1h,budget=50%",
                List.of(),
                "static-cache")) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> recordsReadable(output) >= 2);
            long recorded = recordsReadable(output);
            // SIGTERM: an ordinary exit, shutdown hooks run. The report period is 1h, so only the hook writes one.
            jvm.terminate();
            LeakReport report = Reports.read(output)
                    .orElseThrow(() -> new AssertionError(
                            "no report after exit; the report period was 1h, so only the shutdown hook writes one; stderr:\n"
                                    + jvm.stderr()));
            assertTrue(
                    report.snapshots().count() >= recorded,
                    "the final report covers every snapshot recorded before the exit: "
                            + report.snapshots().count() + " < " + recorded);
            assertEquals(0L, report.agent().suppressedErrors(), jvm::stderr);
            try (Stream<Path> files = Files.list(output)) {
                assertFalse(
                        files.anyMatch(file -> file.getFileName().toString().endsWith(".tmp")),
                        "no temporary report file is left behind");
            }
        }
    }

    /**
     * A SIGTERM is how services stop: it must not read as a failure. The snapshot thread is interrupted at exit, and a
     * write it was in the middle of used to print "snapshot writing ... stopped: ClosedByInterruptException" (5 of 20
     * stops with allocation tracking on). Snapshots every 100 ms and stops at spread-out moments make that likely.
     */
    @Test
    void aSigtermIsQuietWhateverTheAgentWasDoing(@TempDir Path workDir) throws Exception {
        long seed = Long.getLong("leakwatch.sigtermSeed", System.nanoTime());
        System.out.println("aSigtermIsQuietWhateverTheAgentWasDoing seed " + seed + " (-Dleakwatch.sigtermSeed=...)");
        java.util.Random random = new java.util.Random(seed);
        for (int trial = 0; trial < 8; trial++) {
            Path output = workDir.resolve("out-" + trial);
            try (ForkedJvm jvm = ForkedJvm.startSample(
                    ForkedJvm.DEFAULT_JAVA,
                    workDir.resolve("jvm-" + trial),
                    "output=" + output + ",interval=100ms,report=300ms,budget=50%,allocations=on",
                    List.of(),
                    "static-cache")) {
                await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> recordsReadable(output) >= 1);
                await().pollDelay(Duration.ofMillis(random.nextInt(400))).until(() -> true);
                jvm.terminate();
                List<String> unexpected = jvm.stderr()
                        .lines()
                        .filter(line -> line.startsWith("[leakwatch]"))
                        .filter(line -> line.matches("(?i).*(exception|error|fail|stopped|cannot|paused).*"))
                        .toList();
                assertTrue(unexpected.isEmpty(), "trial " + trial + " (seed " + seed + "): " + unexpected);
            }
        }
    }

    /**
     * A short-lived JVM (a CLI tool, a failing start) exits before the first snapshot, so before the snapshot writer
     * created the output directory: the exit must still be clean, with no error line from the final report.
     */
    @Test
    void aJvmThatExitsBeforeItsFirstSnapshotExitsCleanly(@TempDir Path workDir) throws Exception {
        Path output = workDir.resolve("out");
        try (ForkedJvm jvm = ForkedJvm.startSample(
                ForkedJvm.DEFAULT_JAVA,
                workDir,
                "output=" + output + ",allocations=on",
                List.of(),
                "static-cache",
                "--duration",
                "1ms")) {
            assertEquals(0, jvm.waitForExit(60), () -> "stderr:\n" + jvm.stderr());
            assertTrue(jvm.stdout().contains("sample static-cache finished"), jvm::stdout);
            List<String> ours = jvm.stderr()
                    .lines()
                    .filter(line -> line.startsWith("[leakwatch]"))
                    .toList();
            assertTrue(
                    ours.stream()
                            .noneMatch(line ->
                                    line.contains("cannot") || line.contains("failed") || line.contains("error")),
                    () -> "stderr:\n" + jvm.stderr());
        }
    }

    private static long recordsReadable(Path output) {
        try {
            return SeriesReader.read(output, SeriesReader.DEFAULT_MAX_POINTS).recordsRead();
        } catch (InputException e) {
            return 0;
        }
    }
}
