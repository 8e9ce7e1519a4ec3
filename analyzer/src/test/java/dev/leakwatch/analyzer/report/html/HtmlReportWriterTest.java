package dev.leakwatch.analyzer.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.leakwatch.analyzer.report.ReportTimeline;
import dev.leakwatch.format.report.LeakReport;
import dev.leakwatch.format.report.RetentionChain;
import dev.leakwatch.format.report.Suspect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page as text: what it must hold and what it must never hold, without a browser ({@code HtmlPageBrowserTest}
 * checks the same page rendered).
 */
class HtmlReportWriterTest {
    private static final Pattern SERIES_PATH = Pattern.compile("<path class=\"series[^\"]*\" d=\"([^\"]*)\"");
    private static final Pattern CSP = Pattern.compile("http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\"");

    private final HtmlFixture fixture = HtmlFixture.create();
    private final String page = fixture.page();

    @Test
    void theFixtureHasWhatThePageDraws() {
        assertFalse(fixture.report.suspects().isEmpty(), "no suspect in the fixture");
        assertFalse(fixture.report.candidates().isEmpty(), "no candidate in the fixture");
        assertTrue(page.contains(HtmlText.escape(HtmlFixture.CRAFTED)), "the crafted class is not on the page");
    }

    @Test
    void markupInClassNamesFramesAndPathsIsText() {
        assertFalse(page.contains(HtmlFixture.CRAFTED));
        assertFalse(page.contains("<img"));
        assertFalse(page.contains("<b>bold"));
        assertTrue(page.contains("com.acme.Api.&lt;b&gt;bold&lt;/b&gt;(Api.java:99)"));
        assertEquals(1, occurrences(page, "<script"), "only the page's own script");
        assertTrue(page.contains("com.acme.&lt;img src=x onerror=&quot;document.body.setAttribute(&#39;data-pwned"));
        assertTrue(page.contains("/var/tmp/leakwatch/&lt;b&gt;orders&lt;/b&gt;-service"));
    }

    @Test
    void thePolicyLoadsNothingAndRunsOnlyThePagesOwnScriptAndStyle() {
        Matcher csp = CSP.matcher(page);
        assertTrue(csp.find(), "no Content-Security-Policy meta tag");
        String policy = csp.group(1);
        assertTrue(policy.startsWith("default-src 'none'; "), policy);
        assertFalse(policy.contains("unsafe"), policy);
        String script = between(page, "<script>", "</script>");
        String style = between(page, "<style>", "</style>");
        assertTrue(policy.contains("script-src '" + ContentSecurityPolicy.sha256(script) + "'"), policy);
        assertTrue(policy.contains("style-src '" + ContentSecurityPolicy.sha256(style) + "'"), policy);
        // A known vector: the SHA-256 of "abc" (FIPS 180-2), as CSP writes it.
        assertEquals("sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=", ContentSecurityPolicy.sha256("abc"));
    }

    @Test
    void thePageRefersToNothingOutsideItself() {
        assertFalse(page.contains("http://"), "an http URL on the page");
        assertFalse(page.contains("https://"), "an https URL on the page");
        // In a tag, after its quoted attributes: escaped text that reads "src=" inside an attribute value is no
        // reference.
        assertFalse(
                Pattern.compile("<[a-z]+(\\s+[a-z-]+=\"[^\"]*\")*\\s+(src|href|action|srcset|xlink:href)=")
                        .matcher(page)
                        .find(),
                "a reference");
    }

    @Test
    void everySeriesHasAPointPerSnapshot() {
        Matcher series = SERIES_PATH.matcher(page);
        List<Integer> counts = new ArrayList<>();
        while (series.find()) {
            counts.add(points(series.group(1)));
        }
        // heap (measured and projected), two per suspect, one per candidate, one per gauge recorded
        long gauges = fixture.timeline.gauges().stream()
                .filter(gauge -> Arrays.stream(gauge.values()).anyMatch(value -> value != ReportTimeline.UNKNOWN))
                .count();
        long expected = 2
                + 2 * fixture.report.suspects().size()
                + fixture.report.candidates().size()
                + gauges;
        assertEquals(expected, counts.size(), "series paths");
        for (int count : counts) {
            assertEquals(fixture.table.size(), count);
        }
    }

    @Test
    void eachSuspectHasItsSectionChartsAndFlameGraph() {
        for (Suspect suspect : fixture.report.suspects()) {
            String section = between(page, "id=\"suspect-" + suspect.rank() + "\"", "</article>");
            assertTrue(section.contains(HtmlText.escape(suspect.className())), suspect.className());
            assertTrue(section.contains("data-retention-for=\"" + suspect.rank() + "\""), "no retention slot");
            List<ReportTimeline.FlamePath> paths = fixture.timeline.flame(suspect.className());
            if (!paths.isEmpty()) {
                assertTrue(section.contains("<svg class=\"flame\""), "no flame graph for " + suspect.className());
            }
        }
        assertTrue(page.contains("<title>com.acme.Sessions.open(Sessions.java:42) \u2014 "), "frame missing");
        assertTrue(page.contains("<g class=\"fr app\""), "no application frame highlighted");
    }

    @Test
    void aSuspectsRetentionChainIsDrawnRootFirstWithItsGrowingReferenceAndEscaped() {
        Suspect first = fixture.report.suspects().get(0);
        RetentionChain chain = new RetentionChain(
                "static-field",
                "com.acme.<b>Registry</b>",
                List.of("com.acme.<b>Registry</b>.SESSIONS", "java.util.HashMap.table", "[]"),
                new RetentionChain.Container("java.util.HashMap", "com.acme.<b>Registry</b>.SESSIONS", 0, 3000.0),
                41);
        List<Suspect> suspects = new ArrayList<>(fixture.report.suspects());
        suspects.set(0, first.withRetainedBy(List.of(chain)));
        LeakReport report = fixture.report.withSuspects(suspects, fixture.report.warnings());
        String held = new HtmlReportWriter().render(report, fixture.timeline);
        String section = between(held, "data-retention-for=\"" + first.rank() + "\"", "</div>");
        assertTrue(
                section.contains("Held by static-field <code>com.acme.&lt;b&gt;Registry&lt;/b&gt;</code> (41"),
                section);
        assertTrue(
                section.contains("<li class=\"grows\"><code>com.acme.&lt;b&gt;Registry&lt;/b&gt;.SESSIONS</code>"
                        + " &larr; grows: <code>java.util.HashMap</code>, +3,000 entries/min</li>"),
                section);
        assertTrue(
                section.endsWith("<li><code>" + HtmlText.escape(first.className()) + "</code></li></ol>\n"), section);
        assertFalse(held.contains("<b>Registry"), "markup from the heap shows as text");
        assertTrue(page.contains("no retention chain in this report"), "the fixture's page says it has none");
    }

    @Test
    void theVerdictLeadsThePage() {
        assertTrue(page.contains("<span id=\"verdict\" class=\"verdict leak-suspected\">leak-suspected</span>"));
    }

    @Test
    void theAgentsOptionsAreAFactAndEscaped() {
        String withOptions =
                new HtmlReportWriter().render(fixture.report, fixture.timeline, "output=/tmp/<i>lw</i>,interval=2s");
        assertTrue(
                withOptions.contains("<th>agent options</th><td><code>output=/tmp/&lt;i&gt;lw&lt;/i&gt;,interval=2s"));
        assertFalse(page.contains("agent options"), "offline, no options");
    }

    @Test
    void aReportWithoutItsTimelineStillRenders() {
        String bare = new HtmlReportWriter().render(fixture.report, ReportTimeline.empty());
        assertTrue(bare.contains("id=\"suspect-1\""));
        assertFalse(bare.contains("<path class=\"series"));
    }

    static int points(String d) {
        return d.isEmpty() ? 0 : d.split("[ML]").length - 1;
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start);
        assertTrue(from >= 0, "no " + start);
        from += start.length();
        int to = text.indexOf(end, from);
        assertTrue(to >= 0, "no " + end + " after " + start);
        return text.substring(from, to);
    }
}
