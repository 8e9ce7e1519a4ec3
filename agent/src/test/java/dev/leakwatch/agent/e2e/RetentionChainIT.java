package dev.leakwatch.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.agent.e2e.AttachCommand.Result;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RetentionChain;
import dev.leakwatch.format.report.Suspect;
import dev.leakwatch.samples.Sample;
import dev.leakwatch.samples.SampleCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 14: every leaking sample's report names who holds the leak, a chain from a GC root through the field that
 * holds it, with a container that grows; within the detection time the samples meet plus one walk. The agent survives
 * no error doing it. The static cache's holders are also asked for with {@code holders PID}, as a person would.
 */
@Tag("e2e")
@Execution(ExecutionMode.CONCURRENT)
class RetentionChainIT {
    /** As {@link SampleDetectionIT}'s, with the default {@code holders=auto}. */
    static final String AGENT_ARGUMENTS = SampleDetectionIT.AGENT_ARGUMENTS;

    /** The detection deadline the samples meet, plus a walk and the report after it. */
    static final Duration DEADLINE = SampleDetectionIT.DETECTION_DEADLINE.plusSeconds(30);

    /** The reference each leak is held by, as a chain names it. */
    static final Map<String, String> HOLDING_FIELD = Map.of(
            "static-cache", "dev.leakwatch.samples.leaks.StaticCacheLeak.SESSIONS",
            "listeners", "dev.leakwatch.samples.leaks.ListenerLeak$PriceFeed.listeners",
            "threadlocal", "java.lang.Thread.threadLocals",
            "churn-slow-leak", "dev.leakwatch.samples.leaks.ChurnWithSlowLeak.AUDIT_TRAIL",
            "classloader", "dev.leakwatch.samples.leaks.ClassLoaderLeak.LOADED_PLUGINS",
            "logger-per-request", "java.util.logging.LogManager$LogNode.children");

    static Stream<Sample> leaks() {
        return SampleCatalog.all().stream().filter(Sample::leaks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaks")
    void eachLeakNamesWhoHoldsIt(Sample sample, @TempDir Path workDir) throws Exception {
        String field = HOLDING_FIELD.get(sample.name());
        assertTrue(field != null, "a holding field is expected for every leaking sample: " + sample.name());
        Path output = workDir.resolve("out");
        try (ForkedJvm jvm = ForkedJvm.startSample(
                ForkedJvm.DEFAULT_JAVA,
                workDir,
                "output=" + output + "," + AGENT_ARGUMENTS,
                List.of(),
                sample.name())) {
            AtomicReference<LeakReport> seen = new AtomicReference<>();
            AtomicReference<RetentionChain> holding = new AtomicReference<>();
            try {
                await().atMost(DEADLINE).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    assertTrue(jvm.isAlive(), () -> "sample JVM ended early; stderr:\n" + jvm.stderr());
                    Optional<LeakReport> report = Reports.read(output);
                    report.ifPresent(seen::set);
                    Optional<RetentionChain> chain = report.flatMap(r -> chainThrough(r, sample.leakingClass(), field));
                    chain.ifPresent(holding::set);
                    return chain.filter(c -> c.container() != null
                                    && c.container().growthEntriesPerMinute() != null
                                    && c.container().growthEntriesPerMinute() > 0)
                            .isPresent();
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(
                        sample.name() + ": no chain of " + sample.leakingClass() + " through " + field
                                + " with a growing container within " + DEADLINE.toSeconds() + " s; chains: "
                                + (seen.get() == null ? "no report" : chainsOf(seen.get(), sample.leakingClass()))
                                + "\nwarnings: "
                                + (seen.get() == null ? "-" : seen.get().warnings())
                                + "\nstderr:\n" + jvm.stderr(),
                        e);
            }
            LeakReport report = seen.get();
            assertEquals(0L, report.agent().suppressedErrors(), "the agent survived errors:\n" + jvm.stderr());
            RetentionChain chain = holding.get();
            assertTrue(chain.objects() > 0, chain::toString);
            assertFalse(
                    chain.chain().stream()
                            .anyMatch(element -> element.startsWith("dev.leakwatch.agent.")
                                    || element.startsWith("dev.leakwatch.shaded.")
                                    || element.equals("java.lang.ref.Reference.referent")),
                    () -> "no chain passes through the agent or a weak reference: " + chain);
            String text = Files.readString(output.resolve("leak-report.txt"));
            assertTrue(text.contains("    held by "), text);
            if (sample.name().equals("static-cache")) {
                Result holders = AttachCommand.run("holders", String.valueOf(jvm.pid()));
                AttachIT.assertSucceeded(holders, 0, jvm);
                assertTrue(holders.stdout().contains(field), holders::describe);
                Result status = AttachCommand.run("status", String.valueOf(jvm.pid()));
                assertTrue(status.stdout().contains(field), status::describe);
            }
        }
    }

    private static Optional<RetentionChain> chainThrough(LeakReport report, String className, String field) {
        return report.suspects().stream()
                .filter(suspect -> suspect.className().equals(className))
                .flatMap(suspect -> suspect.retainedBy().stream())
                .filter(chain -> chain.chain().contains(field))
                .findFirst();
    }

    private static String chainsOf(LeakReport report, String className) {
        return report.suspects().stream()
                .filter(suspect -> suspect.className().equals(className))
                .map(Suspect::retainedBy)
                .findFirst()
                .map(Object::toString)
                .orElse("not a suspect");
    }
}
