package dev.leakwatch.agent.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.leakwatch.agent.testing.Java25Home;
import dev.leakwatch.format.model.AllocationSampler;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.samples.Sample;
import dev.leakwatch.samples.SampleCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent is built for Java 17 and must load, find leaks and locate them on the newest JDK too. */
@Tag("e2e")
class Java25IT {
    @Test
    void findsTheLeakOnJava25(@TempDir Path workDir) throws Exception {
        Path java25 = Java25Home.requireJava();
        Sample sample = SampleCatalog.byName("static-cache").orElseThrow();
        Path output = workDir.resolve("out");
        try (ForkedJvm jvm = ForkedJvm.startSample(
                java25,
                workDir,
                "output=" + output + "," + SampleDetectionIT.AGENT_ARGUMENTS + ",sampler=jvm",
                List.of(),
                sample.name())) {
            await().atMost(SampleDetectionIT.DETECTION_DEADLINE)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Reports.read(output)
                            .flatMap(report -> Reports.rankOf(report, sample.leakingClass()))
                            .isPresent());
            // The JVM's heap sampler locates it on Java 25 as well.
            await().atMost(SampleDetectionIT.DETECTION_DEADLINE)
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Reports.read(output)
                            .flatMap(r -> Reports.firstSiteFrame(r, sample.leakingClass(), sample.leakingMethod()))
                            .isPresent());
            LeakReport report = Reports.read(output).orElseThrow();
            assertEquals(
                    AllocationSampler.JVM, report.agent().allocationTracking().sampler(), jvm.stderr());
            assertEquals(0L, report.agent().suppressedErrors(), jvm.stderr());
            assertEquals(
                    true,
                    report.snapshots().jvm().startsWith("25"),
                    "recorded JVM version: " + report.snapshots().jvm());
        }
    }
}
