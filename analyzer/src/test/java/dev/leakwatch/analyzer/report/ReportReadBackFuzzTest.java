package dev.leakwatch.analyzer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.leakwatch.format.report.ReportJson;
import dev.leakwatch.format.segment.Mutations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Damaged copies of the golden report, read back with {@link JsonReportWriter#parse}: a report is refused only with
 * its documented {@link JsonProcessingException}. The seed is printed first; rerun one with
 * {@code -Dleakwatch.fuzz.seed=N}.
 */
class ReportReadBackFuzzTest {
    static final long SEED = Mutations.SEED;
    static final int INPUTS = Mutations.INPUTS * 5 / 100;

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aDamagedReportIsRefusedOnlyAsJson() throws IOException {
        System.out.println("ReportReadBackFuzzTest seed " + SEED + " (rerun with -Dleakwatch.fuzz.seed=" + SEED + ")");
        byte[] golden;
        try (InputStream in = ReportReadBackFuzzTest.class.getResourceAsStream("/golden/leak-report.json")) {
            golden = in.readAllBytes();
        }
        Mutations mutations = new Mutations(new SplittableRandom(SEED));
        long started = System.nanoTime();
        long cpuStarted = Mutations.cpuNanos();
        int refused = 0;
        for (int i = 0; i < INPUTS; i++) {
            Mutations.Mutant mutant = mutations.any(golden, List.of(golden));
            try {
                ReportJson.read(new String(mutant.bytes(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                refused++; // documented
            } catch (RuntimeException | Error e) {
                throw new AssertionError("input " + i + " (seed " + SEED + "): " + mutant.description() + ": " + e, e);
            }
        }
        Assertions.assertTrue(refused > 0, "no damaged report was refused: the mutations did not damage anything");
        System.out.printf(
                "ReportReadBackFuzzTest: %d reports in %.1f s (%.1f s of CPU)%n",
                INPUTS, (System.nanoTime() - started) / 1e9, (Mutations.cpuNanos() - cpuStarted) / 1e9);
    }
}
