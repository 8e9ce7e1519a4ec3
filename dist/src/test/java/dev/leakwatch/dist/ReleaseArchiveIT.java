package dev.leakwatch.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as a new user meets it: unpacked into an empty directory, run with a Java on the PATH and no
 * Maven, no gcc and no source tree, it finds the demo's leak and analyzes the recording offline.
 */
class ReleaseArchiveIT {
    private static final Path ARCHIVE = Path.of(System.getProperty("leakwatch.releaseArchive"));
    private static final String VERSION = System.getProperty("leakwatch.version");
    /** The commands bin/leakwatch and its demo use, and nothing else: mvn and gcc are left out on purpose. */
    private static final List<String> TOOLS = List.of(
            "bash",
            "sh",
            "dirname",
            "readlink",
            "rm",
            "mkdir",
            "cat",
            "sed",
            "grep",
            "tr",
            "uname",
            "env",
            "ls",
            "head",
            "tail",
            "sleep",
            "basename");

    private static final long DEMO_TIMEOUT_SECONDS = 300;

    @Test
    void unpackedAnywhereItRunsTheDemoAndAnalyzesTheRecordingWithJavaAlone(@TempDir Path workDir) throws Exception {
        Path unpacked = Files.createDirectory(workDir.resolve("unpacked"));
        assertEquals(
                0,
                IsolatedProcess.run(unpacked, System.getenv("PATH"), 60, "tar", "xzf", ARCHIVE.toString())
                        .exitCode());
        Path home = unpacked.resolve("leakwatch-" + VERSION);
        for (String file : List.of(
                "bin/leakwatch",
                "lib/leakwatch-agent.jar",
                "lib/leakwatch-analyzer.jar",
                "lib/leakwatch-samples.jar",
                "LICENSE",
                "README.md",
                "CHANGELOG.md",
                "docs/formats.md",
                "docs/images/leak-report.png",
                "contrib/prometheus/leakwatch-jmx-exporter.yaml",
                "contrib/prometheus/leakwatch-alerts.yml")) {
            assertTrue(Files.exists(home.resolve(file)), "missing from the archive: " + file);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/leakwatch")), "bin/leakwatch is not executable");

        String path = toolsOnly(workDir.resolve("path")).toString();
        Path userDir = Files.createDirectory(workDir.resolve("user"));
        IsolatedProcess demo = IsolatedProcess.run(
                userDir,
                path,
                DEMO_TIMEOUT_SECONDS,
                home.resolve("bin/leakwatch").toString(),
                "demo",
                "30");
        assertEquals(3, demo.exitCode(), () -> "demo exit code, 3 for the leak it shows:\n" + demo.output());
        assertTrue(
                demo.output().contains("StaticCacheLeak"), () -> "the demo did not name its leak:\n" + demo.output());
        // The demo ends with the path of its HTML page (issue 15), a page that names the leak.
        Path page = userDir.resolve("leakwatch-demo/leak-report.html");
        assertTrue(
                demo.output().strip().endsWith("HTML report: " + page),
                () -> "the demo's last line:\n" + demo.output());
        assertTrue(Files.readString(page).contains("StaticCacheLeak$Session"), "the page does not name the leak");

        IsolatedProcess analyze = IsolatedProcess.run(
                userDir,
                path,
                120,
                home.resolve("bin/leakwatch").toString(),
                "analyze",
                userDir.resolve("leakwatch-demo").toString());
        assertEquals(3, analyze.exitCode(), () -> "analyze exit code, 3 for a leak:\n" + analyze.output());
        assertTrue(analyze.output().contains("StaticCacheLeak"), analyze.output());
    }

    /** A directory of links to java and the few tools the launcher uses, to serve as the whole PATH. */
    private static Path toolsOnly(Path directory) throws IOException {
        Files.createDirectory(directory);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.createSymbolicLink(directory.resolve("java"), java);
        for (String tool : TOOLS) {
            for (String dir : System.getenv("PATH").split(":")) {
                Path candidate = Path.of(dir, tool);
                if (Files.isExecutable(candidate)) {
                    Files.createSymbolicLink(directory.resolve(tool), candidate.toRealPath());
                    break;
                }
            }
        }
        return directory;
    }
}
