package dev.leakwatch.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.e2e.AttachCommand.Result;
import dev.leakwatch.agent.testing.Java25Home;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.report.Verdict;
import dev.leakwatch.samples.Sample;
import dev.leakwatch.samples.SampleCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The whole life of a dynamic attach, as a user lives it, against a leaking sample that was started WITHOUT the
 * agent: {@code list}, {@code attach}, detection, {@code status}, {@code snapshot}, {@code report}, a second
 * {@code attach}, {@code stop}, and an attach again after the stop; on Java 17 and on Java 25.
 *
 * <p>Java 21 and newer print a warning on the target's stderr when an agent is loaded into it at run time (JEP 451).
 * Every command loads the agent jar again (that is how it reaches the agent), and Java 25 prints, once for every
 * dynamic load:
 * <pre>
 * WARNING: A Java agent has been loaded dynamically (/path/to/leakwatch-agent.jar)
 * WARNING: If a serviceability tool is in use, please run with -XX:+EnableDynamicAgentLoading to hide this warning
 * WARNING: If a serviceability tool is not in use, please run with -Djdk.instrument.traceUsage for more information
 * WARNING: Dynamic loading of agents will be disallowed by default in a future release
 * </pre>
 * The commands work all the same; starting the target with {@code -XX:+EnableDynamicAgentLoading} silences it
 * ({@link #java25WithEnableDynamicAgentLoadingPrintsNoWarning}). Starting it with {@code -javaagent:} does not: the
 * commands still load the jar at run time.
 */
@Tag("e2e")
@Execution(ExecutionMode.CONCURRENT)
class AttachIT {
    static final String DYNAMIC_AGENT_WARNING = "WARNING: A Java agent has been loaded dynamically";
    static final Duration TARGET_START = Duration.ofSeconds(30);
    static final Duration DETECTION_DEADLINE = Duration.ofSeconds(120);
    private static final Sample SAMPLE = SampleCatalog.byName("static-cache").orElseThrow();
    private static final Pattern SNAPSHOTS_TAKEN = Pattern.compile("snapshots: (\\d+) taken");
    private static final Pattern SNAPSHOT_TAKEN_NOW = Pattern.compile("snapshot (\\d+) taken in \\d+ ms");

    @Test
    void attachStatusSnapshotReportStopAndAttachAgainOnJava17(@TempDir Path workDir) throws Exception {
        try (ForkedJvm target = startTarget(ForkedJvm.DEFAULT_JAVA, List.of(), workDir)) {
            attachLifecycle(target, workDir);
            assertFalse(target.stderr().contains(DYNAMIC_AGENT_WARNING), target::stderr);
        }
    }

    /**
     * {@code attach --wait} (issue 16): the client stays until the target's report suspects the leak, prints that
     * report and exits 3, as {@code report PID} would; the target records on.
     */
    @Test
    void attachWaitFollowsTheReportUntilItSuspectsTheLeak(@TempDir Path workDir) throws Exception {
        try (ForkedJvm target = startTarget(ForkedJvm.DEFAULT_JAVA, List.of(), workDir)) {
            Path output = workDir.resolve("waited");
            Result attach = AttachCommand.runWithin(
                    DETECTION_DEADLINE.plusSeconds(60),
                    List.of(),
                    "attach",
                    String.valueOf(target.pid()),
                    "output=" + output + ",interval=1s,report=2s,budget=10%",
                    "--wait",
                    DETECTION_DEADLINE.toSeconds() + "s");
            assertSucceeded(attach, 3, target);
            assertTrue(
                    attach.stdout()
                            .startsWith("leakwatch attached to pid " + target.pid() + "\nrecording to " + output),
                    attach::describe);
            assertTrue(attach.stdout().contains("\nfollowing " + output + " for up to "), attach::describe);
            assertTrue(attach.stdout().contains("\nleakwatch report: leak-suspected."), attach::describe);
            assertTrue(attach.stdout().contains(SAMPLE.leakingClass()), attach::describe);
            assertSucceeded(AttachCommand.run("status", String.valueOf(target.pid())), target);
        }
    }

    @Test
    void attachStatusSnapshotReportStopAndAttachAgainOnJava25(@TempDir Path workDir) throws Exception {
        try (ForkedJvm target = startTarget(Java25Home.requireJava(), List.of(), workDir)) {
            attachLifecycle(target, workDir);
            assertTrue(target.stderr().contains("-XX:+EnableDynamicAgentLoading to hide this warning"), target::stderr);
            // One warning block for every load: an attach is two (the agent, then its status), any other command one.
            String pid = String.valueOf(target.pid());
            long before = dynamicLoadWarnings(target);
            assertSucceeded(AttachCommand.run("attach", pid, "output=" + workDir.resolve("fourth")), target);
            assertEquals(before + 2, dynamicLoadWarnings(target), target::stderr);
            assertSucceeded(AttachCommand.run("status", pid), target);
            assertEquals(before + 3, dynamicLoadWarnings(target), target::stderr);
            assertSucceeded(AttachCommand.run("stop", pid), target);
            assertEquals(before + 4, dynamicLoadWarnings(target), target::stderr);
        }
    }

    @Test
    void java25WithEnableDynamicAgentLoadingPrintsNoWarning(@TempDir Path workDir) throws Exception {
        try (ForkedJvm target =
                startTarget(Java25Home.requireJava(), List.of("-XX:+EnableDynamicAgentLoading"), workDir)) {
            String pid = String.valueOf(target.pid());
            Path output = workDir.resolve("out");
            Result attach = AttachCommand.run("attach", pid, "output=" + output + ",interval=1s");
            assertSucceeded(attach, target);
            awaitSnapshotFile(output, target);
            assertSucceeded(AttachCommand.run("stop", pid), target);
            assertTrue(target.stderr().contains("[leakwatch] recording to " + output), target::stderr);
            assertFalse(target.stderr().contains(DYNAMIC_AGENT_WARNING), target::stderr);
            assertTrue(target.isAlive(), target::stderr);
        }
    }

    private static long dynamicLoadWarnings(ForkedJvm target) {
        return target.stderr()
                .lines()
                .filter(line -> line.startsWith(DYNAMIC_AGENT_WARNING + " (") && line.endsWith("leakwatch-agent.jar)"))
                .count();
    }

    private static void attachLifecycle(ForkedJvm target, Path workDir) throws IOException {
        long pid = target.pid();
        String pidText = String.valueOf(pid);

        Result list = AttachCommand.run("list");
        assertEquals(0, list.exit(), list::describe);
        assertEquals(Optional.of("-"), list.leakwatchColumnOf(pid), list::describe);

        Path first = workDir.resolve("first");
        // Instrumentation: what an attach retransforms, and what stop restores.
        String firstOptions = "output=" + first + ",interval=1s,report=2s,budget=10%,allocations=on,sampling=256"
                + ",sampler=instrumentation";
        Result attach = AttachCommand.run("attach", pidText, firstOptions);
        assertSucceeded(attach, target);
        assertTrue(
                attach.stdout().startsWith("leakwatch attached to pid " + pid + "\nrecording to " + first),
                attach::describe);

        list = AttachCommand.run("list");
        assertEquals(0, list.exit(), list::describe);
        assertEquals(Optional.of("recording"), list.leakwatchColumnOf(pid), list::describe);
        assertTrue(list.stdout().contains("-> " + first), list::describe);

        LeakReport detected = awaitDetection(first, target);
        assertEquals(0L, detected.agent().suppressedErrors(), target::stderr);
        // Classes loaded before the attach were retransformed: the leak's allocation site is found in them too.
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> Reports.read(first)
                        .flatMap(r -> Reports.firstSiteFrame(r, SAMPLE.leakingClass(), SAMPLE.leakingMethod()))
                        .isPresent());

        Result status = AttachCommand.run("status", pidText);
        assertSucceeded(status, target);
        assertTrue(status.stdout().startsWith("recording to " + first), status::describe);
        assertTrue(status.stdout().contains("options: output=" + first + ",interval=1s,report=2s,"), status::describe);
        long takenBefore = number(SNAPSHOTS_TAKEN, status);

        Result snapshot = AttachCommand.run("snapshot", pidText);
        assertSucceeded(snapshot, target);
        // Sequence numbers start at 0: the snapshot taken now is at least the one after all counted before.
        assertTrue(number(SNAPSHOT_TAKEN_NOW, snapshot) >= takenBefore, snapshot::describe);
        Result statusAfter = AttachCommand.run("status", pidText);
        assertSucceeded(statusAfter, target);
        assertTrue(
                number(SNAPSHOTS_TAKEN, statusAfter) > takenBefore,
                () -> status.stdout() + "\n" + statusAfter.stdout());

        // report exits as analyze does: 3 for the leak it found.
        Result report = AttachCommand.run("report", pidText);
        assertSucceeded(report, 3, target);
        assertTrue(report.stdout().startsWith("leakwatch report: leak-suspected."), report::describe);
        // For scripts: the leak-report.json that refresh wrote, whole, and the status's fields.
        Result reportJson = AttachCommand.run("report", pidText, "--format=json");
        assertSucceeded(reportJson, 3, target);
        assertEquals(
                Verdict.LEAK_SUSPECTED, ReportJson.read(reportJson.stdout()).verdict(), reportJson::describe);
        Result statusJson = AttachCommand.run("status", "--format", "json", pidText);
        assertSucceeded(statusJson, target);
        assertTrue(
                statusJson.stdout().startsWith("{\"pid\":" + pid + ",\"recording\":\"" + first + "\",\"verdict\":"),
                statusJson::describe);
        Result listJson = AttachCommand.run("list", "--format=json");
        assertSucceeded(listJson, target);
        assertTrue(listJson.stdout().contains("{\"pid\":" + pid + ","), listJson::describe);
        assertTrue(
                report.stdout().contains("#1 " + SAMPLE.leakingClass())
                        || report.stdout().contains("#2 " + SAMPLE.leakingClass())
                        || report.stdout().contains("#3 " + SAMPLE.leakingClass()),
                report::describe);

        // A second attach changes nothing and says with which options the running recording goes on.
        Path other = workDir.resolve("other");
        Result again = AttachCommand.run("attach", pidText, "output=" + other + ",interval=5s");
        assertSucceeded(again, target);
        assertTrue(again.stdout().contains("already recording to " + first), again::describe);
        assertTrue(again.stdout().contains("options: output=" + first + ",interval=1s,report=2s,"), again::describe);
        assertFalse(Files.exists(other), "a second attach must not start a second recording");

        Result stop = AttachCommand.run("stop", pidText);
        assertSucceeded(stop, target);
        assertTrue(stop.stdout().startsWith("stopped; "), stop::describe);
        // stop undoes the instrumentation: every transformed class is retransformed back to its original bytecode.
        Matcher restored =
                Pattern.compile("original bytecode of (\\d+) classes restored").matcher(stop.stdout());
        assertTrue(restored.find(), stop::describe);
        assertTrue(Long.parseLong(restored.group(1)) > 0, stop::describe);
        assertFalse(target.stderr().contains("could not undo"), target::stderr);
        assertTrue(stop.stdout().contains(first.toString()), stop::describe);
        // Stopped, and the application goes on: for 3 s (three intervals) the target stays up and the stopped
        // recording's files do not grow.
        long stoppedSize = snapshotBytes(first);
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> target.isAlive() && snapshotBytes(first) == stoppedSize);
        assertTrue(target.stderr().contains("[leakwatch] stopped; files kept in " + first), target::stderr);

        Result statusStopped = AttachCommand.run("status", pidText);
        assertEquals(17, statusStopped.exit(), statusStopped::describe);
        assertEquals(
                List.of("leakwatch: leakwatch is not recording in pid " + pid
                        + "; start it with: java -jar leakwatch-agent.jar attach " + pid),
                statusStopped.stderrLines(),
                statusStopped::describe);
        assertTrue(target.isAlive(), target::stderr);

        // The stop made room: a new attach records again, to a new directory. allocations=auto retransforms no class
        // of a running JVM, so with instrumentation as its only sampler it tracks nothing, and says why.
        Path second = workDir.resolve("second");
        Result reattach = AttachCommand.run(
                "attach", pidText, "output=" + second + ",interval=1s,allocations=auto,sampler=instrumentation");
        assertSucceeded(reattach, target);
        assertTrue(reattach.stdout().contains("recording to " + second), reattach::describe);
        assertFalse(reattach.stdout().contains("already recording"), reattach::describe);
        awaitSnapshotFile(second, target);
        Result statusAuto = AttachCommand.run("status", pidText);
        assertSucceeded(statusAuto, target);
        assertTrue(
                statusAuto
                        .stdout()
                        .contains("allocations: off (allocations=auto retransforms no class of a running" + " JVM"),
                statusAuto::describe);
        assertSucceeded(AttachCommand.run("stop", pidText), target);
        assertTrue(target.isAlive(), target::stderr);

        // The JVM's heap sampler changes no class, so allocations=auto turns it on in a running JVM too (what
        // sampler=auto takes where its library loads), and it locates the leak.
        Path third = workDir.resolve("third");
        Result sampled = AttachCommand.run(
                "attach",
                pidText,
                "output=" + third + ",interval=1s,report=2s,budget=10%,allocations=auto,samplingBytes=16k");
        assertSucceeded(sampled, target);
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> Reports.read(third)
                        .flatMap(r -> Reports.firstSiteFrame(r, SAMPLE.leakingClass(), SAMPLE.leakingMethod()))
                        .isPresent());
        Result statusSampled = AttachCommand.run("status", pidText);
        assertSucceeded(statusSampled, target);
        assertTrue(
                statusSampled.stdout().contains("allocations: sampling 1 per 16.0 KB allocated"),
                statusSampled::describe);
        Result stopSampled = AttachCommand.run("stop", pidText);
        assertSucceeded(stopSampled, target);
        assertTrue(stopSampled.stdout().contains("JVM heap sampling stopped"), stopSampled::describe);
        assertEquals(0L, Reports.read(third).orElseThrow().agent().suppressedErrors(), target::stderr);
        assertTrue(target.isAlive(), target::stderr);
    }

    static ForkedJvm startTarget(Path java, List<String> jvmArguments, Path workDir) {
        ForkedJvm target = ForkedJvm.startSample(java, workDir.resolve("target"), null, jvmArguments, SAMPLE.name());
        try {
            await().atMost(TARGET_START).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertTrue(target.isAlive(), () -> "target ended; stderr:\n" + target.stderr());
                return target.stdout().contains("sample " + SAMPLE.name() + " running, pid " + target.pid());
            });
            return target;
        } catch (RuntimeException | AssertionError e) {
            try {
                target.close();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    /** Exit 0, nothing on stderr, and the target lives on. */
    static void assertSucceeded(Result result, ForkedJvm target) {
        assertSucceeded(result, 0, target);
    }

    /** This exit status (a report's: 0, 3 or 4), nothing on stderr, and the target lives on. */
    static void assertSucceeded(Result result, int exit, ForkedJvm target) {
        assertEquals(exit, result.exit(), result::describe);
        assertEquals("", result.stderr(), result::describe);
        assertTrue(target.isAlive(), () -> "target ended; its stderr:\n" + target.stderr() + "\n" + result.describe());
    }

    private static LeakReport awaitDetection(Path output, ForkedJvm target) {
        AtomicReference<LeakReport> seen = new AtomicReference<>();
        try {
            await().atMost(DETECTION_DEADLINE)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        assertTrue(target.isAlive(), () -> "target ended; stderr:\n" + target.stderr());
                        Optional<LeakReport> report = Reports.read(output);
                        report.ifPresent(seen::set);
                        return report.flatMap(r -> Reports.rankOf(r, SAMPLE.leakingClass()))
                                .filter(rank -> rank <= 3)
                                .isPresent();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(
                    SAMPLE.leakingClass() + " not in the top 3 suspects within "
                            + DETECTION_DEADLINE.toSeconds() + " s of the attach; suspects: "
                            + (seen.get() == null ? "no report" : Reports.suspectNames(seen.get()))
                            + "\ntarget stderr:\n"
                            + target.stderr(),
                    e);
        }
        return seen.get();
    }

    static void awaitSnapshotFile(Path output, ForkedJvm target) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertTrue(target.isAlive(), () -> "target ended; stderr:\n" + target.stderr());
                    return snapshotBytes(output) > 0;
                });
    }

    /** Total size of the snapshot segments in a recording directory; 0 before the first. */
    static long snapshotBytes(Path output) {
        if (!Files.isDirectory(output)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(output)) {
            return files.filter(file -> file.getFileName().toString().matches("snapshots-\\d+\\.jsonl\\.gz"))
                    .mapToLong(file -> {
                        try {
                            return Files.size(file);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long number(Pattern pattern, Result result) {
        Matcher matcher = pattern.matcher(result.stdout());
        assertTrue(matcher.find(), () -> "no '" + pattern + "' in\n" + result.describe());
        return Long.parseLong(matcher.group(1));
    }
}
