package dev.leakwatch.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.Verdict;
import dev.leakwatch.samples.Sample;
import dev.leakwatch.samples.SampleCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every sample under the agent, in its own JVM: each leak's class must be the first suspect within two
 * minutes, and its FIRST allocation site must name the sample's method that leaks, in {@link #LOCATED_REPORTS}
 * reports in a row, with every site naming what it allocates ("located"; issue 13: a churned path shown first,
 * the leak's paths below it); the JVM-level findings its catalogue entry expects must name its class (the
 * class-loader sample's loader type); no control may raise any suspect or finding in a recording as long as a leak
 * needs to be found. Prints the detection table at the end (also in {@code target/detection-table.txt}).
 */
@Tag("e2e")
@Execution(ExecutionMode.CONCURRENT)
class SampleDetectionIT {
    /**
     * The defaults users get (issue 13: the report names the leaking class first and the leaking method in its first
     * site), the report following the interval, with a short interval and a larger budget so that a test finishes in
     * minutes: at the default budget (1% of wall time) a machine loaded by three sample JVMs and a build stretched the
     * interval to 5 to 18 s, and a two-minute run then holds too few snapshots. The budget only paces snapshots; the
     * sampling rates, the analysis and allocation tracking are the defaults.
     */
    static final String AGENT_ARGUMENTS = System.getProperty("leakwatch.detectionOptions", "interval=1s,budget=10%");

    /**
     * On demand, the run with no options but output and interval (docs/detection.md, "Detection at the defaults"):
     * {@code -Dleakwatch.detectionOptions=interval=1s -Dleakwatch.detectionDeadline=300}.
     */
    static final Duration DETECTION_DEADLINE = Duration.ofSeconds(Long.getLong("leakwatch.detectionDeadline", 120));
    /** Controls run until the report covers this much recording: longer than any leak takes to be found here. */
    static final double CONTROL_SPAN_SECONDS = Math.max(75, DETECTION_DEADLINE.toSeconds() * 0.6);

    /**
     * The leak's class must be the first suspect (issue 13). Logger-per-request once ranked its {@code HashMap$Node}
     * above {@code LogManager$LogNode} here (CI of cf383ea): a grouping miss, fixed by {@code Membership}.
     */
    static final int TOP = 1;
    /**
     * Fresh reports in a row whose first site must name the leaking method: one could be a lucky moment between two
     * that put another path first.
     */
    static final int LOCATED_REPORTS = 3;
    /**
     * Time after the detection deadline for the located reports in a row: at the default budget (1% of wall time)
     * a loaded machine stretches the interval to several seconds, and the slowest sample (class loaders under the
     * instrumentation sampler) needed a little over the deadline to show its site three times.
     */
    static final Duration LOCATING_GRACE = Duration.ofSeconds(60);

    private static final Map<String, String> TABLE = new ConcurrentSkipListMap<>();

    /**
     * Every sample with the sampler {@code sampler=auto} takes here, the JVM's; and every leak instrumented too, the
     * sampler where the JVM's cannot load. The controls run once: what could flag them is the agent's own memory in
     * the host's histograms, which does not depend on the sampler.
     */
    static Stream<Arguments> samples() {
        Stream<Arguments> jvm = SampleCatalog.all().stream().map(sample -> Arguments.of(sample, AllocationSampler.JVM));
        Stream<Arguments> instrumented = SampleCatalog.all().stream()
                .filter(Sample::leaks)
                .map(sample -> Arguments.of(sample, AllocationSampler.INSTRUMENTATION));
        return Stream.concat(jvm, instrumented);
    }

    @ParameterizedTest(name = "{0} ({1})")
    @MethodSource("samples")
    void leaksAreFoundAndControlsStayQuiet(Sample sample, AllocationSampler sampler, @TempDir Path workDir)
            throws Exception {
        Path output = workDir.resolve("out");
        try (ForkedJvm jvm = ForkedJvm.startSample(
                ForkedJvm.DEFAULT_JAVA,
                workDir,
                "output=" + output + "," + AGENT_ARGUMENTS + samplerOption(sampler),
                List.of(),
                sample.name())) {
            if (sample.leaks()) {
                expectDetection(sample, sampler, jvm, output);
            } else {
                expectNoAlarm(sample, sampler, jvm, output);
            }
        }
    }

    /** The JVM's sampler is what the default picks where its library loads; instrumentation must be asked for. */
    private static String samplerOption(AllocationSampler sampler) {
        return sampler == AllocationSampler.JVM ? "" : ",sampler=" + sampler.wireName();
    }

    private static void expectDetection(Sample sample, AllocationSampler sampler, ForkedJvm jvm, Path output) {
        AtomicReference<LeakReport> seen = new AtomicReference<>();
        try {
            await().atMost(DETECTION_DEADLINE)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        assertTrue(jvm.isAlive(), () -> "sample JVM ended early; stderr:\n" + jvm.stderr());
                        Optional<LeakReport> report = Reports.read(output);
                        report.ifPresent(seen::set);
                        return report.flatMap(r -> Reports.rankOf(r, sample.leakingClass()))
                                .filter(rank -> rank <= TOP)
                                .isPresent();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            TABLE.put(key(sample, sampler), row(sample, sampler, "no", "-", "-", "-", "-"));
            throw new AssertionError(
                    sample.name() + ": " + sample.leakingClass() + " not the first suspect"
                            + " suspects within " + DETECTION_DEADLINE.toSeconds() + " s; suspects: "
                            + (seen.get() == null ? "no report" : Reports.suspectNames(seen.get())) + "\nstderr:\n"
                            + jvm.stderr(),
                    e);
        }
        LeakReport report = seen.get();
        int rank = Reports.rankOf(report, sample.leakingClass()).orElseThrow();
        String detected = String.format(Locale.ROOT, "%.0f", jvm.secondsSinceStart());
        assertEquals(0L, report.agent().suppressedErrors(), "the agent survived errors:\n" + jvm.stderr());
        assertFalse(
                jvm.stderr().contains("Sharing is only supported"),
                "the hook is defined in the boot loader; class-data sharing stays on:\n" + jvm.stderr());
        assertTrue(report.suspects().get(rank - 1).confidence() >= 0.5);
        var coverage = report.agent().allocationTracking();
        assertTrue(
                coverage != null && coverage.sampler() == sampler,
                () -> "sampled by " + sampler + ": " + report.agent() + "\nstderr:\n" + jvm.stderr());
        if (sampler == AllocationSampler.INSTRUMENTATION) {
            assertTrue(
                    coverage.instrumentedClasses() != null
                            && coverage.instrumentedClasses() > 0
                            && coverage.instrumentedSites() >= coverage.instrumentedClasses(),
                    () -> "the report says how much code allocation tracking covers: " + report.agent());
            assertEquals(0L, coverage.failedClasses(), () -> "no class failed to instrument:\n" + jvm.stderr());
        } else {
            assertEquals(null, coverage.instrumentedClasses(), "the JVM's sampler instruments nothing");
            assertTrue(jvm.stderr().contains("[leakwatch] allocation tracking: JVM heap sampler"), jvm::stderr);
        }

        AtomicReference<String> located = new AtomicReference<>();
        AtomicReference<String> lastReport = new AtomicReference<>();
        AtomicInteger inARow = new AtomicInteger();
        try {
            await().atMost(DETECTION_DEADLINE
                            .minusSeconds((long) jvm.secondsSinceStart())
                            .plus(LOCATING_GRACE))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        Optional<LeakReport> current = Reports.read(output);
                        if (current.isEmpty() || current.get().generatedAt().equals(lastReport.get())) {
                            return false; // not a fresh report: it counts once
                        }
                        lastReport.set(current.get().generatedAt());
                        Optional<String> frame =
                                Reports.firstSiteFrame(current.get(), sample.leakingClass(), sample.leakingMethod());
                        if (frame.isEmpty()) {
                            inARow.set(0);
                            return false;
                        }
                        located.set(frame.get() + " " + Reports.firstSiteTypes(current.get(), sample.leakingClass()));
                        return inARow.incrementAndGet() >= LOCATED_REPORTS;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            TABLE.put(key(sample, sampler), row(sample, sampler, "yes", String.valueOf(rank), detected, "no", "-"));
            throw new AssertionError(
                    sample.name() + ": the first allocation site of " + sample.leakingClass()
                            + " does not name " + sample.leakingMethod() + " in " + LOCATED_REPORTS
                            + " reports in a row (or a site leaves out its type); sites: "
                            + Reports.read(output)
                                    .map(r -> Reports.sitesOf(r, sample.leakingClass()))
                                    .orElse("no report"),
                    e);
        }
        String findings = expectFindings(sample, sampler, jvm, output, rank, detected, located.get());
        TABLE.put(
                key(sample, sampler),
                row(sample, sampler, "yes", String.valueOf(rank), detected, located.get(), findings));
    }

    /**
     * Waits for the JVM-level findings the sample must raise besides its suspect, each naming the leaking class (a
     * class loader's type in a class-loading finding); returns their kinds for the table, "-" when it expects none.
     */
    private static String expectFindings(
            Sample sample,
            AllocationSampler sampler,
            ForkedJvm jvm,
            Path output,
            int rank,
            String detected,
            String located) {
        if (sample.findings().isEmpty()) {
            return "-";
        }
        for (String kind : sample.findings()) {
            try {
                await().atMost(DETECTION_DEADLINE
                                .minusSeconds((long) jvm.secondsSinceStart())
                                .plusSeconds(30))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> Reports.read(output)
                                .flatMap(r -> Reports.finding(r, kind))
                                .filter(f -> f.explanation().contains(sample.leakingClass()))
                                .isPresent());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                TABLE.put(
                        key(sample, sampler),
                        row(sample, sampler, "yes", String.valueOf(rank), detected, located, "no " + kind));
                throw new AssertionError(
                        sample.name() + ": no " + kind + " finding naming " + sample.leakingClass() + "; findings: "
                                + Reports.read(output).map(LeakReport::findings).orElse(List.of()),
                        e);
            }
        }
        return String.join(" ", sample.findings());
    }

    private static void expectNoAlarm(Sample sample, AllocationSampler sampler, ForkedJvm jvm, Path output) {
        await().atMost(Duration.ofSeconds((long) CONTROL_SPAN_SECONDS * 2 + 30))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    assertTrue(jvm.isAlive(), () -> "sample JVM ended early; stderr:\n" + jvm.stderr());
                    return Reports.read(output)
                            .filter(r -> r.snapshots().spanSeconds() >= CONTROL_SPAN_SECONDS)
                            .isPresent();
                });
        LeakReport report = Reports.read(output).orElseThrow();
        boolean flagged = !report.suspects().isEmpty() || !report.findings().isEmpty();
        TABLE.put(
                key(sample, sampler),
                row(
                        sample,
                        sampler,
                        flagged ? "YES (false alarm)" : "no",
                        flagged ? "1" : "-",
                        String.format(Locale.ROOT, "%.0f", jvm.secondsSinceStart()),
                        "-",
                        "-"));
        assertTrue(
                report.suspects().isEmpty(),
                () -> sample.name() + " is a control but has suspects " + Reports.suspectNames(report) + "\n" + report);
        assertTrue(
                report.findings().isEmpty(),
                () -> sample.name() + " is a control but has findings " + report.findings());
        assertTrue(
                report.candidates().stream()
                        .allMatch(candidate -> candidate.retainedBy().isEmpty()),
                () -> sample.name() + " is a control, yet the agent searched holders: " + report.candidates());
        assertFalse(
                jvm.stderr().contains("[leakwatch] holders of"),
                () -> sample.name() + " is a control, yet the agent searched holders:\n" + jvm.stderr());
        assertFalse(
                jvm.stderr().contains("leak suspect confirmed"),
                () -> sample.name() + " is a control but a suspect was announced during the run:\n" + jvm.stderr());
        assertEquals(Verdict.NO_LEAK_FOUND, report.verdict());
        assertEquals(0L, report.agent().suppressedErrors(), "the agent survived errors:\n" + jvm.stderr());
    }

    private static String key(Sample sample, AllocationSampler sampler) {
        return sampler.ordinal() + sample.name();
    }

    private static String row(
            Sample sample,
            AllocationSampler sampler,
            String flagged,
            String rank,
            String seconds,
            String located,
            String findings) {
        return String.format(
                Locale.ROOT,
                "| %-18s | %-15s | %-5s | %-17s | %-4s | %-7s | %s | %s |",
                sample.name(),
                sampler.wireName(),
                sample.leaks() ? "leak" : "ok",
                flagged,
                rank,
                seconds,
                located,
                findings);
    }

    @AfterAll
    static void printTable() throws IOException {
        StringBuilder table = new StringBuilder();
        table.append(
                "| sample             | sampler         | kind  | flagged?          | rank | seconds | located | findings |\n");
        table.append(
                "|--------------------|-----------------|-------|-------------------|------|---------|---------|----------|\n");
        TABLE.values().forEach(row -> table.append(row).append('\n'));
        System.out.println(
                "\nleakwatch detection table (seconds: from JVM start to detection, or to the last check of a control)\n"
                        + table);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "detection-table.txt"), table.toString());
    }
}
