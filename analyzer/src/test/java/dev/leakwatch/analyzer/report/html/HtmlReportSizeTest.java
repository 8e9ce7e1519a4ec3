package dev.leakwatch.analyzer.report.html;

import static dev.leakwatch.analyzer.analysis.SyntheticRecording.KB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.MB;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.constant;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.linear;
import static dev.leakwatch.analyzer.analysis.SyntheticRecording.noise;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.analysis.ReportTimelines;
import dev.leakwatch.analyzer.analysis.SyntheticRecording;
import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.analyzer.series.SeriesTable;
import dev.leakwatch.format.report.LeakReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The page must stay small enough to mail: under 1 MB for a two-hour recording of 5,000 classes, here with every
 * class growing a little (the table of growers full), three leaks (two growing in step, so one suspect) and, for each, far more allocation paths with deep
 * stacks than the flame graph keeps.
 */
class HtmlReportSizeTest {
    static final int LIMIT_BYTES = 1 << 20;
    private static final int CLASSES = 5_000;
    private static final int PATHS_PER_LEAK = 150;
    private static final int DEPTH = 40;

    @Test
    void aTwoHourRecordingOf5000ClassesRendersUnder1Mb() {
        SyntheticRecording recording = SyntheticRecording.create()
                .lasting(Duration.ofHours(2))
                .every(Duration.ofSeconds(30))
                .heapMax(4L * 1024 * MB);
        for (int i = 0; i < CLASSES; i++) {
            recording.withObjects(
                    "com.acme.generated.module" + (i % 50) + ".SomeRatherLongClassNameNumber" + i,
                    48,
                    constant(200 + i % 700).plus(linear(0, 0.2 + i % 5)).plus(noise(30, i)));
        }
        for (int leak = 0; leak < 3; leak++) {
            String type = "com.acme.leaks.Leak" + leak;
            recording.withObjects(type, 64, linear(1_000, 500 * (leak + 1)));
            for (int p = 0; p < PATHS_PER_LEAK; p++) {
                List<String> frames = new ArrayList<>();
                for (int depth = 0; depth < DEPTH; depth++) {
                    frames.add("com.acme.framework.layer" + depth + ".Handler" + (p % (depth + 1)) + ".handle"
                            + "(Handler" + depth + ".java:" + (100 + p) + ")");
                }
                recording.withPath(type, frames, 3, linear(5, 1 + p % 7), 2 * KB, linear(2, 1), linear(60, 60));
            }
        }
        SeriesTable table = recording.table();
        LeakReport report = recording.analyze();
        ReportTimeline timeline = ReportTimelines.of(table, report);
        assertTrue(report.suspects().size() >= 2, report.summary());
        assertTrue(
                timeline.growers().size() >= 40,
                "growers: " + timeline.growers().size());
        assertTrue(timeline.flame(report.suspects().get(0).className()).size() >= 100, "flame paths");

        String page = new HtmlReportWriter().render(report, timeline);
        int bytes = page.getBytes(StandardCharsets.UTF_8).length;
        writeForInspection(page);

        System.out.printf("HtmlReportSizeTest: %,d bytes for %d points, %,d classes%n", bytes, table.size(), CLASSES);
        assertTrue(bytes < LIMIT_BYTES, bytes + " bytes");
        // Not an empty page passing by accident: charts of 240 points and flame graphs are in it.
        assertTrue(bytes > 100_000, bytes + " bytes");
    }

    /** Kept in target/ so that a failure can be looked at (and, in a browser, seen). */
    private static void writeForInspection(String page) {
        try {
            Files.createDirectories(HtmlPageBrowserTest.OUTPUT);
            Files.writeString(HtmlPageBrowserTest.OUTPUT.resolve("large-report.html"), page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
