package dev.leakwatch.analyzer.report.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.leakwatch.format.report.Suspect;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The page rendered by a real browser, Debian's {@code chromium} in headless mode: the DOM after the page's script ran
 * ({@code --dump-dom}) holds the verdict, each suspect, a point per snapshot in each chart, the flame graph's frames,
 * and a class name made of markup as text, with nothing of it run; the page asked for nothing over the network
 * (chromium's own net log names no URL). A screenshot stays in {@code target/browser/} as a build artifact.
 *
 * <p>Skipped only where no chromium is installed and the environment variable {@code CI} is unset: in CI
 * ({@code .ci/run} installs chromium) it must run.
 */
class HtmlPageBrowserTest {
    static final Path OUTPUT = Path.of(System.getProperty("basedir", "")).resolve("target/browser");
    private static final long TIMEOUT_SECONDS = 120;
    private static final Pattern SERIES_PATH = Pattern.compile("<path class=\"series[^\"]*\" d=\"([^\"]*)\"");
    /**
     * A request the page made, in chromium's net log: its network isolation key is the page's origin ({@code file://}).
     * Chromium's own requests (time, dictionaries, accounts), which it makes despite
     * {@code --disable-background-networking}, have keys of their own sites or none.
     */
    private static final Pattern PAGE_REQUEST =
            Pattern.compile("\"network_isolation_key\":\"file://[^\"]*\"[^\n]*?\"url\":\"([^\"]*)\"");
    /** A page that does make requests: it shows that {@link #PAGE_REQUEST} finds them, so the test can fail. */
    private static final String REQUESTING_PAGE = "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:1/leak\">"
            + "<script src=\"https://127.0.0.1:1/x.js\"></script></body></html>";

    private static String chromium;
    private static HtmlFixture fixture;
    private static String dom;
    private static Path page;

    @BeforeAll
    static void render() throws IOException, InterruptedException {
        chromium = findChromium();
        if (chromium == null && System.getenv("CI") != null) {
            fail("CI is set and no chromium is on the PATH: .ci/run installs it (apt-get install chromium)");
        }
        if (chromium == null) {
            return;
        }
        Files.createDirectories(OUTPUT);
        fixture = HtmlFixture.create();
        page = OUTPUT.resolve("leak-report.html");
        Files.writeString(page, fixture.page(), StandardCharsets.UTF_8);
        dom = run(List.of(
                "--dump-dom",
                "--log-net-log=" + OUTPUT.resolve("net-log.json"),
                page.toUri().toString()));
        Path control = OUTPUT.resolve("requesting-page.html");
        Files.writeString(control, REQUESTING_PAGE, StandardCharsets.UTF_8);
        run(List.of(
                "--dump-dom",
                "--log-net-log=" + OUTPUT.resolve("net-log-control.json"),
                control.toUri().toString()));
        Files.writeString(OUTPUT.resolve("leak-report.dom.html"), dom, StandardCharsets.UTF_8);
        run(List.of(
                "--hide-scrollbars",
                "--window-size=1200,2400",
                "--screenshot=" + OUTPUT.resolve("leak-report.png"),
                page.toUri().toString()));
    }

    @Test
    void thePagesScriptRanUnderItsPolicy() {
        assumeChromium();
        // The script's first act: it only runs if the policy's hash matches the script the page carries.
        assertTrue(dom.contains("data-script=\"ran\""), "the page's script did not run");
    }

    @Test
    void theVerdictAndEverySuspectShow() {
        assumeChromium();
        assertTrue(dom.contains("<span id=\"verdict\" class=\"verdict leak-suspected\">leak-suspected</span>"));
        assertFalse(fixture.report.suspects().isEmpty());
        for (Suspect suspect : fixture.report.suspects()) {
            assertTrue(dom.contains("id=\"suspect-" + suspect.rank() + "\""), "suspect " + suspect.rank());
            assertTrue(dom.contains(domText(suspect.className())), suspect.className());
        }
    }

    @Test
    void eachChartHasAPointPerSnapshot() {
        assumeChromium();
        Matcher series = SERIES_PATH.matcher(dom);
        int charts = 0;
        while (series.find()) {
            assertEquals(fixture.table.size(), HtmlReportWriterTest.points(series.group(1)), series.group(1));
            charts++;
        }
        assertTrue(charts >= 2 + 2 * fixture.report.suspects().size(), charts + " charts");
    }

    @Test
    void theFlameGraphShowsTheFrames() {
        assumeChromium();
        assertTrue(dom.contains("<svg class=\"flame\""), "no flame graph");
        for (String frame : HtmlFixture.SESSION_FRAMES) {
            assertTrue(dom.contains("<title>" + frame + " \u2014 "), frame);
        }
        assertTrue(dom.contains("<title>new com.acme.Session \u2014 "), "no allocated type");
    }

    @Test
    void markupInAClassNameShowsAsTextAndRunsNothing() {
        assumeChromium();
        // The class name's own text mentions data-pwned; an attribute set on the body would mean its script ran.
        assertFalse(Pattern.compile("<body[^>]*data-pwned").matcher(dom).find(), "a script in a class name ran");
        assertFalse(dom.contains("<img"), "a class name added an element");
        assertEquals(1, dom.split("<script", -1).length - 1, "only the page's own script element");
        assertTrue(dom.contains("com.acme.&lt;img src=x onerror=\"document.body.setAttribute('data-pwned','1')\""
                + "&gt;&lt;script&gt;"));
    }

    @Test
    void thePageAskedForNothingOverTheNetwork() throws IOException {
        assumeChromium();
        assertEquals(
                List.of("http://127.0.0.1:1/leak", "https://127.0.0.1:1/x.js"),
                pageRequests(OUTPUT.resolve("net-log-control.json")),
                "the net log check misses the requests of a page that makes some");
        assertEquals(List.of(), pageRequests(OUTPUT.resolve("net-log.json")));
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertFalse(html.contains("http://") || html.contains("https://"), "a URL on the page");
        assertTrue(html.contains("content=\"default-src 'none';"), "the policy does not forbid loading");
    }

    private static List<String> pageRequests(Path netLog) throws IOException {
        assertTrue(Files.exists(netLog), "chromium wrote no net log " + netLog);
        Matcher request = PAGE_REQUEST.matcher(Files.readString(netLog, StandardCharsets.UTF_8));
        List<String> urls = new ArrayList<>();
        while (request.find()) {
            if (!urls.contains(request.group(1))) {
                urls.add(request.group(1));
            }
        }
        urls.sort(null);
        return urls;
    }

    @Test
    void aScreenshotIsKept() throws IOException {
        assumeChromium();
        Path screenshot = OUTPUT.resolve("leak-report.png");
        assertTrue(Files.size(screenshot) > 10_000, "screenshot too small: " + Files.size(screenshot));
    }

    /** Text as a browser serializes it in an element: only {@code &}, {@code <} and {@code >} escaped. */
    private static String domText(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void assumeChromium() {
        assumeTrue(chromium != null, "no chromium on the PATH (and CI unset)");
    }

    private static String run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--user-data-dir=" + OUTPUT.resolve("profile")));
        command.addAll(arguments);
        Path stdout = OUTPUT.resolve("chromium.out");
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(OUTPUT.resolve("chromium.err").toFile())
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + command);
        }
        assertEquals(0, process.exitValue(), "chromium failed, see " + OUTPUT.resolve("chromium.err"));
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    private static String findChromium() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String directory : path.split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path candidate = Path.of(directory, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        return null;
    }
}
