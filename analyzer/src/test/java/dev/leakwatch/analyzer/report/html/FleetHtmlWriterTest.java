package dev.leakwatch.analyzer.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.format.fleet.FleetReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fleet view as a page: one card per fingerprint with its replicas, the recordings, nothing unescaped. */
class FleetHtmlWriterTest {
    private static final String CRAFTED = "com.acme.<img src=x onerror=alert(1)>Session";

    private static FleetReport fleet() {
        return new FleetReport(
                FleetReport.SCHEMA_VERSION,
                "2026-12-05T08:00:00Z",
                List.of(
                        new FleetReport.Replica(
                                "pod-<b>1</b>",
                                "leak-suspected",
                                11L,
                                "2026-12-05T07:00:00Z",
                                "2026-12-05T07:30:00Z",
                                1),
                        new FleetReport.Replica(
                                "pod-2", "leak-suspected", 12L, "2026-12-05T07:01:00Z", "2026-12-05T07:31:00Z", 1),
                        new FleetReport.Replica("pod-3", "no-leak-found", null, null, null, 0)),
                List.of(
                        new FleetReport.Leak(
                                "9a486c71bf3d",
                                "retained-growth",
                                CRAFTED,
                                "bytes",
                                "2026-12-05T07:02:00Z",
                                List.of(
                                        new FleetReport.Sighting(
                                                "pod-<b>1</b>", 2_000_000, 4_000_000, 1.0, "2026-12-05T07:02:00Z"),
                                        new FleetReport.Sighting("pod-2", 1_000_000, 2_000_000, 0.9, null))),
                        new FleetReport.Leak(
                                "40470172ebe1",
                                "threads",
                                "threads",
                                "threads",
                                null,
                                List.of(new FleetReport.Sighting("pod-2", 3, 120, 0.8, null)))));
    }

    @Test
    void eachLeakOnceWithItsReplicasAndTheRecordings() {
        String page = new FleetHtmlWriter().render(fleet());
        assertTrue(page.contains("2 leaks over 3 recordings, 1 of them in more than one."), page);
        assertTrue(page.contains("id=\"leak-9a486c71bf3d\""), page);
        assertTrue(page.contains("in 2 of 3 recordings, first seen 2026-12-05T07:02:00Z"), page);
        assertTrue(page.contains("<code>[threads]</code>"), page);
        assertTrue(page.contains("3.0 threads"), page);
        assertEquals(3, occurrences(page, "<svg class=\"bar\""), "a bar per sighting");
        assertTrue(page.contains("width=\"160\" height=\"12\"><rect x=\"0\" y=\"1\" width=\"160\""), "largest full");
        assertTrue(page.contains("width=\"80\""), "the other replica's growth at half");
        assertEquals(1, occurrences(page, "<script"), "only the page's own script");
    }

    @Test
    void namesFromRecordingsAreText() {
        String page = new FleetHtmlWriter().render(fleet());
        assertFalse(page.contains("<img"), "markup from a class name");
        assertFalse(page.contains("<b>1</b>"), "markup from a recording's name");
        assertTrue(page.contains("com.acme.&lt;img src=x onerror=alert(1)&gt;Session"), page);
        assertTrue(page.contains("pod-&lt;b&gt;1&lt;/b&gt;"), page);
        assertTrue(page.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "), page);
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
