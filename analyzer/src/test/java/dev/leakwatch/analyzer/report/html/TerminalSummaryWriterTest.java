package dev.leakwatch.analyzer.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.report.TerminalSummaryWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The terminal summary ({@code analyze --format summary}, the end of {@code ./leakwatch demo}) against its golden file
 * {@code src/test/resources/golden/summary.txt}; regenerate on purpose as {@code GoldenReportTest} says.
 */
class TerminalSummaryWriterTest {
    private static final String PAGE = "/var/tmp/leakwatch/orders-service/leak-report.html";

    private final HtmlFixture fixture = HtmlFixture.create();
    private final String summary = new TerminalSummaryWriter().render(fixture.report, fixture.timeline, PAGE);

    @Test
    void matchesTheGoldenFile() throws IOException {
        if (Boolean.getBoolean("leakwatch.regenerateGolden")) {
            Path file = Path.of(System.getProperty("basedir", "")).resolve("src/test/resources/golden/summary.txt");
            Files.writeString(file, summary, StandardCharsets.UTF_8);
            return;
        }
        try (InputStream in = getClass().getResourceAsStream("/golden/summary.txt")) {
            assertEquals(new String(in.readAllBytes(), StandardCharsets.UTF_8), summary);
        }
    }

    @Test
    void everyLineKeepsTo100Columns() {
        summary.lines().forEach(line -> assertTrue(line.length() <= TerminalSummaryWriter.COLUMNS, line));
    }

    @Test
    void eachSuspectHasASparklineAndThePageItsPath() {
        String[] lines = summary.split("\n");
        assertEquals("HTML report: " + PAGE, lines[lines.length - 1]);
        for (var suspect : fixture.report.suspects()) {
            String row = summary.lines()
                    .filter(line -> line.startsWith("#" + suspect.rank() + " "))
                    .findFirst()
                    .orElseThrow();
            assertTrue(row.matches(".*[▁▂▃▄▅▆▇█]{20}.*"), row);
            // A leak rises: its sparkline ends higher than it starts.
            String spark = row.replaceAll("^.*?([▁▂▃▄▅▆▇█]{20}).*$", "$1");
            assertTrue(spark.charAt(19) > spark.charAt(0), spark);
        }
    }

    @Test
    void aPathLongerThanALineIsPrintedWholeOnItsOwn() {
        String longPath = "/" + "very-long-directory-name/".repeat(6) + "leak-report.html";
        String text = new TerminalSummaryWriter().render(fixture.report, fixture.timeline, longPath);
        assertTrue(text.endsWith("HTML report:\n" + longPath + "\n"), text);
    }
}
