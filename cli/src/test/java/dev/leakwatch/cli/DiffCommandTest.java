package dev.leakwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code leakwatch diff}: two jcmd histograms in, golden files out ({@code src/test/resources/diff/}). A difference
 * means the diff or its wording changed; when intended, rerun with {@code -Dleakwatch.regenerateGolden=true} and
 * review the diff of the files like code.
 */
class DiffCommandTest {
    private static final Path DIRECTORY = Path.of("src/test/resources/diff");
    private static final String BEFORE = DIRECTORY.resolve("before.txt").toString();
    private static final String AFTER = DIRECTORY.resolve("after.txt").toString();

    @TempDir
    Path temp;

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private int run(String... args) {
        stdout.reset();
        stderr.reset();
        return AnalyzerMain.run(
                args,
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @Test
    void textMatchesTheGoldenFile() throws IOException {
        assertEquals(ExitCode.NO_LEAK, run("diff", BEFORE, AFTER), stderr::toString);
        checkGolden("diff.txt", stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonMatchesTheGoldenFile() throws IOException {
        assertEquals(ExitCode.NO_LEAK, run("diff", BEFORE, AFTER, "--format", "json"), stderr::toString);
        checkGolden("diff.json", stdout.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theLargestChangeComesFirstEitherWayAndVanishedClassesCount() {
        run("diff", BEFORE, AFTER);
        String text = stdout.toString(StandardCharsets.UTF_8);
        int bytes = text.indexOf("  byte[]\n");
        int session = text.indexOf("  com.acme.Session\n");
        int retired = text.indexOf("  com.acme.RetiredCache$Entry\n");
        assertTrue(bytes > 0 && bytes < session && session < retired, text);
        assertTrue(text.contains("-14.1 KB"), text);
    }

    @Test
    void htmlIsOnePageWithTheClassesAsText() throws IOException {
        Path page = temp.resolve("diff.html");
        assertEquals(ExitCode.NO_LEAK, run("diff", BEFORE, AFTER, "--format", "html", "--out", page.toString()));
        String html = Files.readString(page);
        assertTrue(html.contains("<code>com.acme.Session</code>"), html);
        assertTrue(html.contains("com.acme.&lt;b&gt;Markup&lt;/b&gt;"));
        assertFalse(html.contains("<b>Markup"));
        assertTrue(html.contains("content=\"default-src 'none';"));
    }

    @Test
    void mistakesAreOneLineAndExit2() {
        assertEquals(ExitCode.BAD_INPUT, run("diff"));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).startsWith("leakwatch: diff takes one recording"));
        assertEquals(ExitCode.BAD_INPUT, run("diff", BEFORE));
        assertEquals(
                "leakwatch: " + BEFORE + " holds one snapshot; give a second histogram or recording to compare it"
                        + " with\n",
                stderr.toString(StandardCharsets.UTF_8));
        assertEquals(ExitCode.BAD_INPUT, run("diff", BEFORE, AFTER, "--format", "xml"));
        assertEquals(
                "leakwatch: --format must be text, json or html, not 'xml'\n", stderr.toString(StandardCharsets.UTF_8));
        assertEquals(
                ExitCode.BAD_INPUT, run("diff", BEFORE, temp.resolve("missing").toString()));
        assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("does not exist"), stderr::toString);
        assertEquals(1, stderr.toString(StandardCharsets.UTF_8).lines().count());
    }

    @Test
    void helpNamesTheInputs() {
        assertEquals(ExitCode.NO_LEAK, run("diff", "--help"));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith("usage: "));
        assertEquals(ExitCode.NO_LEAK, run("help", "diff"));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("jcmd PID GC.class_histogram"));
    }

    private static void checkGolden(String name, String actual) throws IOException {
        Path file = DIRECTORY.resolve(name);
        if (Boolean.getBoolean("leakwatch.regenerateGolden")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(
                Files.readString(file, StandardCharsets.UTF_8),
                actual,
                name + " differs from the golden file; if intended, rerun with -Dleakwatch.regenerateGolden=true");
    }
}
